"""Books, reviews shown on book pages and drift campaigns in the site search.

Imported by the search app at start-up (its registry, search/documents.py), like every app's
`search.py`. Keys: "book:<id>", "review:<id>" (kind "work": a reading review is a contest
work) and "drift:<id>" (kind "campaign"). Changes are announced with the search app's
`visibility_changed` signal, from model signals here and from the services that update rows
in bulk (catalogue.py, reviews.py); the scheduled reconcile catches anything missed. Copy
codes are never indexed.
"""

from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone

from accounts.models import GuardianConsent
from competitions.submissions.models import Entry
from search.documents import SearchDocument, Source, register_source, visibility_changed

from .models import Book, BookCopy, BookReview, DriftCampaign
from .reviews import public_reviews as shown_and_displayable

# --- books ------------------------------------------------------------------------------------


def public_books():
    """Books with at least one approved copy in a public campaign."""
    drifting = BookCopy.objects.filter(
        book=OuterRef("pk"), approval=BookCopy.Approval.APPROVED, campaign__is_public=True
    )
    return Book.objects.filter(Exists(drifting))


def book_documents(queryset):
    """Documents of the books in `queryset` (catalogue data only, never copy codes)."""
    for book in queryset.select_related("cover").order_by("pk"):
        yield SearchDocument(
            key=BOOKS.key(book.pk),
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
    return shown_and_displayable()


def review_documents(queryset):
    """Documents of reviews: the work's public fields, never its author."""
    for review in queryset.select_related("entry", "book").order_by("pk"):
        entry = review.entry
        yield SearchDocument(
            key=REVIEWS.key(review.pk),
            kind="work",
            title=entry.title,
            url=reverse("bookdrift:review", args=[review.pk]),
            summary=entry.description,
            body=entry.text,
            section=review.book.title,
            date=entry.submitted_at,
        )


# --- campaigns --------------------------------------------------------------------------------


def public_campaigns():
    """Campaigns the public may see."""
    return DriftCampaign.objects.filter(is_public=True)


def campaign_documents(queryset):
    """Documents of campaigns (kind "campaign")."""
    for campaign in queryset.order_by("pk"):
        yield SearchDocument(
            key=CAMPAIGNS.key(campaign.pk),
            kind="campaign",
            title=campaign.title,
            url=reverse("bookdrift:campaign", args=[campaign.slug]),
            summary=campaign.intro,
            date=timezone.make_aware(
                timezone.datetime.combine(campaign.starts_on, timezone.datetime.min.time())
            ),
        )


BOOKS = register_source(
    Source(prefix="book", model=Book, public=public_books, documents=book_documents)
)
REVIEWS = register_source(
    Source(prefix="review", model=BookReview, public=public_reviews, documents=review_documents)
)
CAMPAIGNS = register_source(
    Source(
        prefix="drift", model=DriftCampaign, public=public_campaigns, documents=campaign_documents
    )
)


# --- when documents change --------------------------------------------------------------------


def _book_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        visibility_changed.send(sender=Book, pks=[instance.pk])


def _campaign_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    visibility_changed.send(sender=DriftCampaign, pks=[instance.pk])
    # A campaign made public or hidden shows or hides its books.
    books = Book.objects.filter(copies__campaign=instance).distinct()
    visibility_changed.send(sender=Book, pks=books.values_list("pk", flat=True))


def _review_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        visibility_changed.send(sender=BookReview, pks=[instance.pk])


def _entry_saved(sender, instance, raw=False, **kwargs):
    """An entry edited, withdrawn or deleted: its review document follows."""
    if not raw:
        reviews = BookReview.objects.filter(entry_id=instance.pk)
        visibility_changed.send(sender=BookReview, pks=reviews.values_list("pk", flat=True))


def _display_decision(sender, instance, created=False, raw=False, **kwargs):
    """A guardian agreed to or withdrew the display of a child's works (reviews too)."""
    if raw or not created or instance.scope != instance.Scope.DISPLAY:
        return
    reviews = BookReview.objects.filter(entry__author_id=instance.child_id)
    visibility_changed.send(sender=BookReview, pks=reviews.values_list("pk", flat=True))


def _connect() -> None:
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


_connect()
