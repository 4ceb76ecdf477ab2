"""Reading reviews (读后感) written from a copy's page, through the submissions service.

A review is an entry of the campaign's reading-review contest, made with the very services
the contest's own pages use (`competitions.submissions.entries`: save_draft, then
submit_entry), so the contest's rules, phases, word limit, one-entry-per-author constraint
and guardian consent all apply; this module only links the entry to its book. Both happen in
one transaction: a refused review leaves no draft behind.

A review appears on its book's page when organisers chose to show it there *and* the entry
is publicly displayable by the one rule of competitions/submissions/display.py (checked on
every request, so a withdrawn consent hides it at once).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.submissions import entries
from competitions.submissions.models import Entry, EntryKind
from search.documents import visibility_changed

from . import page_cache
from .models import Book, BookCopy, BookReview


def review_contest(copy: BookCopy):
    """The contest reviews of this copy enter, or None."""
    return copy.campaign.review_contest


def existing_review(copy: BookCopy, user) -> Entry | None:
    """The reader's active entry in the campaign's review contest, if any (one per author)."""
    contest = review_contest(copy)
    if contest is None or not user.is_authenticated:
        return None
    return entries.active_entry(contest, user)


def write_review(copy: BookCopy, user, data: dict) -> Entry:
    """Enters the reader's review of `copy`'s book in the campaign's reading-review contest
    and submits it (it gets its entry number), linked to the book.

    `data`: title, text, group, school, grade, display_consent (as EntryForm cleans them).
    Guarantees: all or nothing; the contest's checks decide (ValidationError with their
    Chinese messages, field errors as a dict); one entry per reader and contest, as the
    contest's constraint says.
    """
    contest = review_contest(copy)
    if contest is None:
        raise ValidationError(_("This drift does not collect reading reviews."), code="none")
    if EntryKind.TEXT not in (contest.entry_kinds or []):
        raise ValidationError(
            _("This contest takes uploaded files only. Please enter it on the contest's page."),
            code="files_only",
        )
    fields = {
        name: data.get(name)
        for name in ("title", "text", "group", "school", "grade", "display_consent")
    }
    fields["kind"] = EntryKind.TEXT
    with transaction.atomic():
        draft = entries.save_draft(contest, user, fields)
        entry = entries.submit_entry(draft, user)
        BookReview.objects.create(
            entry=entry, book_id=copy.book_id, copy=copy, campaign_id=copy.campaign_id
        )
    return entry


def public_reviews() -> QuerySet[BookReview]:
    """Reviews the public may read: chosen by organisers and publicly displayable."""
    return BookReview.objects.filter(
        shown=True, entry__in=Entry.objects.publicly_displayable().values("pk")
    ).select_related("entry", "entry__school", "entry__group")


def shown_reviews(book: Book) -> QuerySet[BookReview]:
    """The reviews of `book` its page shows, newest first."""
    return public_reviews().filter(book=book).order_by("-entry__submitted_at", "-pk")


def set_shown(
    reviews: QuerySet[BookReview], shown: bool, *, by, now: datetime.datetime | None = None
) -> int:
    """Organisers show reviews on (or take them off) their books' pages; returns how many
    changed. Pages and search follow after commit."""
    now = now or timezone.now()
    with transaction.atomic():
        changed = list(
            reviews.select_for_update().exclude(shown=shown).values_list("pk", "book_id")
        )
        BookReview.objects.filter(pk__in=[pk for pk, _book in changed]).update(
            shown=shown, shown_by=by, shown_at=now
        )
        visibility_changed.send(sender=BookReview, pks=[pk for pk, _book in changed])
        books = {book_id for _pk, book_id in changed}
        transaction.on_commit(lambda: page_cache.reviews_changed(*books))
    return len(changed)
