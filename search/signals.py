"""When the index must change: page, topic, quiz, contest and exhibition signals.

Every receiver only records which keys to refresh (`indexing.request_update`, through the
outbox, after the commit); the task re-reads the objects when it runs. Raw saves (fixtures)
are ignored. Connected in `SearchConfig.ready()`.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .indexing import request_update

# Bounds the fan-out of a single change (a section with thousands of pages is rebuilt by the
# scheduled reconcile for additions and by the next publish of each page for content).
MAX_SUBTREE_KEYS = 5000


def _page_key(pk) -> str:
    return f"page:{pk}"


def _subtree_keys(page: Page) -> list[str]:
    # The path is re-read: after a move the signal's instance may still hold the old one.
    path = Page.objects.filter(pk=page.pk).values_list("path", flat=True).first() or page.path
    pks = Page.objects.filter(path__startswith=path).values_list("pk", flat=True)
    return [_page_key(pk) for pk in pks[:MAX_SUBTREE_KEYS]]


def _page_changed(sender, instance, **kwargs):
    request_update([_page_key(instance.pk)])
    # A section's title appears in its children's documents.
    if instance.specific_class is not None and instance.specific_class.__name__ == "SectionPage":
        request_update(_subtree_keys(instance))


def _page_moved(sender, instance, **kwargs):
    # Every address below the moved page changed.
    request_update(_subtree_keys(instance))


def _page_deleted(sender, instance, **kwargs):
    # Connected for the base Page row, which every page type has: one key per page.
    request_update([_page_key(instance.pk)])


def _restriction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        request_update(_subtree_keys(page))


def _topic_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from content.models import ArticlePage, VideoPage

    keys = [f"topic:{instance.pk}"]
    if not kwargs.get("created"):
        # Pages list their topics by name.
        for model in (ArticlePage, VideoPage):
            pks = model.objects.filter(topics=instance).values_list("pk", flat=True)
            keys += [_page_key(pk) for pk in pks[:MAX_SUBTREE_KEYS]]
    request_update(keys)


def _quiz_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    request_update([_page_key(pk) for pk in instance.pages.values_list("pk", flat=True)])


def _contest_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from competitions.submissions.models import Entry

    keys = [_page_key(pk) for pk in instance.pages.values_list("pk", flat=True)]
    # The contest's title and dates appear on its works; its results date decides
    # whether they are public at all.
    works = Entry.objects.filter(contest=instance, status=Entry.Status.SUBMITTED)
    keys += [f"work:{pk}" for pk in works.values_list("pk", flat=True)[:MAX_SUBTREE_KEYS]]
    request_update(keys)


def _entry_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    request_update([f"work:{instance.pk}"])


def _exhibition_changed(sender, instance, raw=False, **kwargs):
    """An award published or withdrawn, a work chosen for or removed from the exhibition."""
    if raw:
        return
    request_update([f"work:{instance.entry_id}"])


def connect() -> None:
    from competitions.quizzes.models import Quiz
    from competitions.submissions.models import Contest, Entry, EntryAward, ExhibitedEntry
    from content.models import Topic

    page_published.connect(_page_changed, dispatch_uid="search_page_published")
    page_unpublished.connect(_page_changed, dispatch_uid="search_page_unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="search_page_moved")
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="search_page_deleted")
    for signal in (post_save, post_delete):
        name = "saved" if signal is post_save else "deleted"
        signal.connect(
            _restriction_changed, sender=PageViewRestriction, dispatch_uid=f"search_pvr_{name}"
        )
        signal.connect(_topic_changed, sender=Topic, dispatch_uid=f"search_topic_{name}")
        signal.connect(_entry_changed, sender=Entry, dispatch_uid=f"search_entry_{name}")
        for model in (EntryAward, ExhibitedEntry):
            signal.connect(
                _exhibition_changed,
                sender=model,
                dispatch_uid=f"search_{model.__name__.lower()}_{name}",
            )
    post_save.connect(_quiz_changed, sender=Quiz, dispatch_uid="search_quiz_saved")
    post_save.connect(_contest_changed, sender=Contest, dispatch_uid="search_contest_saved")
