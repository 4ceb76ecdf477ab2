"""Contest pages and exhibited works in the site search (registered with
search/documents.py at start-up).

A contest page is searchable while live and unrestricted, open or closed; its date is the
opening of submissions. A work is searchable exactly while the online exhibition shows it
(`awards.exhibited_entries` of a contest whose results are public): its public fields only,
never the author, grade, school, teacher or files. What changes that — an entry edited or
withdrawn, awards published or replaced, works chosen or removed, a guardian's decision on
displaying a child's works, a contest's settings — refreshes the works concerned.
"""

from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone

from accounts.models import GuardianConsent
from competitions.submissions.models import Contest, ContestPage, Entry, EntryAward, ExhibitedEntry
from competitions.submissions.results.awards import exhibited_entries, results_visible
from search.documents import (
    PageContent,
    PageType,
    SearchDocument,
    Source,
    html_text,
    register_page_type,
    register_source,
    visibility_changed,
)


def _contest_page(page: ContestPage) -> PageContent:
    return PageContent(
        summary=page.summary,
        body=" ".join(filter(None, [page.contest.title, html_text(page.rules)])),
        date=page.contest.submission_opens_at,
        image=page.lead_image,
    )


register_page_type(
    PageType(ContestPage, "contest", _contest_page, select_related=("contest", "lead_image"))
)


# --- exhibited works ---------------------------------------------------------------------------


def exhibited_works():
    """Works the online exhibition shows now, by exactly the exhibition's own rule.

    `awards.exhibited_entries` (submitted, display consent, awarded or organiser-chosen) per
    contest whose results are public (`awards.results_visible`); nothing else.
    """
    pks: set[int] = set()
    for contest in Contest.objects.filter(results_at__lte=timezone.now()):
        if results_visible(contest):
            pks.update(exhibited_entries(contest).values_list("pk", flat=True))
    return Entry.objects.filter(pk__in=pks)


def work_documents(queryset):
    """Documents of exhibited works: public fields only (title, description, text, contest)."""
    for entry in queryset.select_related("contest", "group").order_by("pk"):
        url = reverse(
            "contests:exhibition_work",
            kwargs={"contest_id": entry.contest_id, "number": entry.number},
        )
        yield SearchDocument(
            key=WORKS.key(entry.pk),
            kind="work",
            title=entry.title,
            url=url,
            summary=entry.description,
            body=entry.text or "",
            section=entry.contest.title,
            date=entry.contest.results_at,
        )


WORKS = register_source(
    Source(prefix="work", model=Entry, public=exhibited_works, documents=work_documents)
)


# --- when documents change ---------------------------------------------------------------------


def _submitted_works(**filters):
    return Entry.objects.filter(status=Entry.Status.SUBMITTED, **filters).values_list(
        "pk", flat=True
    )


def _contest_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    visibility_changed.send(sender=ContestPage, pks=instance.pages.values_list("pk", flat=True))
    # The contest's title and dates appear on its works; its results date decides whether
    # they are public at all.
    visibility_changed.send(sender=Entry, pks=_submitted_works(contest=instance))


def _entry_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        visibility_changed.send(sender=Entry, pks=[instance.pk])


def _exhibition_changed(sender, instance, raw=False, **kwargs):
    """An award published or withdrawn, a work chosen for or removed from the exhibition."""
    if not raw:
        visibility_changed.send(sender=Entry, pks=[instance.entry_id])


def _guardian_decision(sender, instance, created=False, raw=False, **kwargs):
    """A guardian agreed to or withdrew the display of a child's works."""
    if raw or not created or instance.scope != instance.Scope.DISPLAY:
        return
    visibility_changed.send(sender=Entry, pks=_submitted_works(author_id=instance.child_id))


def _connect() -> None:
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            _entry_changed, sender=Entry, dispatch_uid=f"submissions_search_entry_{name}"
        )
        for model in (EntryAward, ExhibitedEntry):
            signal.connect(
                _exhibition_changed,
                sender=model,
                dispatch_uid=f"submissions_search_{model.__name__.lower()}_{name}",
            )
    post_save.connect(
        _contest_saved, sender=Contest, dispatch_uid="submissions_search_contest_saved"
    )
    post_save.connect(
        _guardian_decision,
        sender=GuardianConsent,
        dispatch_uid="submissions_search_guardian_decision",
    )


_connect()
