"""Books, reviews shown on book pages and drift campaigns in the site search.

Registered with the search app's source registry (`search.documents.register_source`), the
way pages, topics and exhibited works are; this app never touches search internals. Keys:
"book:<id>", "review:<id>" (kind "work": a reading review is a contest work) and
"drift:<id>" (kind "campaign"). Changes are requested through the outbox after the commit
(`request_update`); the scheduled reconcile catches anything missed. Copy codes are never
indexed.
"""

from collections.abc import Iterable, Iterator

from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone

BOOK, REVIEW, CAMPAIGN = "book", "review", "drift"


def book_key(pk: int) -> str:
    """The search key of a book's document."""
    return f"{BOOK}:{pk}"


def request_update(keys: Iterable[str]) -> None:
    """Ask the search app to refresh these documents after the current transaction."""
    from search.indexing import request_update as search_request_update

    search_request_update(list(keys))


# --- books ------------------------------------------------------------------------------------


def public_books():
    """Books with at least one approved copy in a public campaign."""
    from .models import Book, BookCopy

    drifting = BookCopy.objects.filter(
        book=OuterRef("pk"), approval=BookCopy.Approval.APPROVED, campaign__is_public=True
    )
    return Book.objects.filter(Exists(drifting))


def book_documents(queryset) -> Iterator:
    """Documents of the books in `queryset` (catalogue data only, never copy codes)."""
    from search.backends.base import SearchDocument

    for book in queryset.select_related("cover").order_by("pk"):
        yield SearchDocument(
            key=book_key(book.pk),
            kind="book",
            title=book.title,
            url=reverse("bookdrift:book", args=[book.pk]),
            summary=book.summary,
            body=" ".join(filter(None, [book.author, book.publisher, book.series])),
            section=book.series,
            date=book.created_at,
        )


# --- reviews ----------------------------------------------------------------------------------


def public_reviews():
    """Reviews shown on book pages and publicly displayable (reviews.public_reviews)."""
    from .reviews import public_reviews as shown_and_displayable

    return shown_and_displayable()


def review_documents(queryset) -> Iterator:
    """Documents of reviews: the work's public fields, never its author."""
    from search.backends.base import SearchDocument

    for review in queryset.select_related("entry", "book").order_by("pk"):
        entry = review.entry
        yield SearchDocument(
            key=f"{REVIEW}:{review.pk}",
            kind="work",
            title=entry.title,
            url=reverse("bookdrift:review", args=[review.pk]),
            summary=entry.description,
            body=entry.text[:20_000],
            section=review.book.title,
            date=entry.submitted_at,
        )


# --- campaigns --------------------------------------------------------------------------------


def public_campaigns():
    """Campaigns the public may see."""
    from .models import DriftCampaign

    return DriftCampaign.objects.filter(is_public=True)


def campaign_documents(queryset) -> Iterator:
    """Documents of campaigns (kind "campaign")."""
    from search.backends.base import SearchDocument

    for campaign in queryset.order_by("pk"):
        yield SearchDocument(
            key=f"{CAMPAIGN}:{campaign.pk}",
            kind="campaign",
            title=campaign.title,
            url=reverse("bookdrift:campaign", args=[campaign.slug]),
            summary=campaign.intro,
            date=timezone.make_aware(
                timezone.datetime.combine(campaign.starts_on, timezone.datetime.min.time())
            ),
        )


def _source(prefix, public, documents):
    from search.documents import Source

    model = public().model
    return Source(
        prefix=prefix,
        public=public,
        documents=documents,
        document_for=lambda obj: next(documents(public().filter(pk=obj.pk)), None),
        get=lambda pk: model.objects.filter(pk=pk).first(),
    )


# --- when documents change --------------------------------------------------------------------


def _book_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        request_update([book_key(instance.pk)])


def _campaign_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .models import Book

    # A campaign made public or hidden shows or hides its books.
    books = Book.objects.filter(copies__campaign=instance).distinct().values_list("pk", flat=True)
    request_update([f"{CAMPAIGN}:{instance.pk}", *(book_key(pk) for pk in books)])


def _review_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        request_update([f"{REVIEW}:{instance.pk}"])


def _entry_saved(sender, instance, raw=False, **kwargs):
    """An entry edited, withdrawn or deleted: its review document follows."""
    if raw:
        return
    from .models import BookReview

    pks = BookReview.objects.filter(entry_id=instance.pk).values_list("pk", flat=True)
    if pks:
        request_update([f"{REVIEW}:{pk}" for pk in pks])


def _display_decision(sender, instance, created=False, raw=False, **kwargs):
    """A guardian agreed to or withdrew the display of a child's works (reviews too)."""
    if raw or not created or instance.scope != instance.Scope.DISPLAY:
        return
    from .models import BookReview

    pks = BookReview.objects.filter(entry__author_id=instance.child_id).values_list("pk", flat=True)
    if pks:
        request_update([f"{REVIEW}:{pk}" for pk in pks])


def register() -> None:
    """Registers the three sources and the signals that keep their documents current."""
    from accounts.models import GuardianConsent
    from competitions.submissions.models import Entry
    from search.documents import register_source

    from .models import Book, BookReview, DriftCampaign

    register_source(_source(BOOK, public_books, book_documents))
    register_source(_source(REVIEW, public_reviews, review_documents))
    register_source(_source(CAMPAIGN, public_campaigns, campaign_documents))
    for signal in (post_save, post_delete):
        suffix = "saved" if signal is post_save else "deleted"
        signal.connect(_book_saved, sender=Book, dispatch_uid=f"bookdrift_search_book_{suffix}")
        signal.connect(
            _campaign_saved, sender=DriftCampaign, dispatch_uid=f"bookdrift_search_drift_{suffix}"
        )
        signal.connect(
            _review_saved, sender=BookReview, dispatch_uid=f"bookdrift_search_review_{suffix}"
        )
        signal.connect(_entry_saved, sender=Entry, dispatch_uid=f"bookdrift_search_entry_{suffix}")
    post_save.connect(
        _display_decision, sender=GuardianConsent, dispatch_uid="bookdrift_search_display"
    )
