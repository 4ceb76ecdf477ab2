"""Registering copies: in bulk by organisers, one by one as donations (投漂) by readers.

Codes are random (codes.py) and unique by a database constraint. A batch checks its new
codes against the table in one query and draws again for the few that clash, then inserts
everything with `bulk_create` in one transaction; should another batch take a code in the
meantime, the constraint refuses the insert and the whole batch is drawn again. Copy numbers
("第 12 册") follow the campaign's highest number, under a lock on the campaign row.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.core.text_checks import clean_public_text
from kepu.refusals import Refusal
from search.documents import visibility_changed

from . import codes, page_cache
from .isbn import normalise_isbn
from .journeys import organiser_step
from .models import Book, BookCopy, DriftCampaign, JourneyStep, ReaderNotice, Station

MAX_COPIES_PER_BOOK = 1000
MAX_BATCH = 20_000
_BATCH_ATTEMPTS = 3


class CatalogueError(Refusal):
    """A registration that cannot be done; `message` says why, nothing was changed."""


def fresh_codes(count: int) -> list[str]:
    """`count` new codes, distinct and not in the database when checked (one query per
    round; a clash is about one in 10⁸ per code even with a million copies)."""
    chosen: set[str] = set()
    while len(chosen) < count:
        wanted = {codes.generate() for _ in range(count - len(chosen))} - chosen
        taken = set(BookCopy.objects.filter(code__in=wanted).values_list("code", flat=True))
        chosen |= wanted - taken
    return list(chosen)


def _next_number(campaign: DriftCampaign) -> int:
    highest = BookCopy.objects.filter(campaign=campaign).aggregate(top=Max("number"))["top"]
    return (highest or 0) + 1


@dataclass(frozen=True)
class Registered:
    copies: int
    first_number: int
    last_number: int


def register_copies(
    campaign: DriftCampaign,
    counts: dict[int, int],
    *,
    station: Station | None = None,
    by=None,
    now: datetime.datetime | None = None,
) -> Registered:
    """Registers `counts[book_id]` new copies of each book in `campaign`, each with a fresh
    code and the next copy number, waiting at `station` if given (a "placed" step each).

    Guarantees: all or nothing, in one transaction, with a constant number of queries
    whatever the number of copies (bulk inserts); 12 titles × 200 copies take well under a
    second. Refuses unknown books, counts outside 1–1000, more than 20,000 copies at once and
    a station outside the campaign.
    """
    now = now or timezone.now()
    counts = {int(book_id): int(count) for book_id, count in counts.items() if count}
    if not counts:
        raise CatalogueError(_("Give the number of copies for at least one book."))
    if any(count < 1 or count > MAX_COPIES_PER_BOOK for count in counts.values()):
        raise CatalogueError(
            _("Register between 1 and %(limit)s copies per book at a time.")
            % {"limit": MAX_COPIES_PER_BOOK}
        )
    total = sum(counts.values())
    if total > MAX_BATCH:
        raise CatalogueError(
            _("At most %(limit)s copies at a time, please.") % {"limit": MAX_BATCH}
        )
    books = Book.objects.in_bulk(list(counts))
    if len(books) != len(counts):
        raise CatalogueError(_("One of the books no longer exists. Reload the page."))
    if station is not None and not campaign.stations.filter(pk=station.pk).exists():
        raise CatalogueError(_("Choose one of this drift's stations."))
    for attempt in range(_BATCH_ATTEMPTS):
        try:
            with transaction.atomic():
                DriftCampaign.objects.select_for_update().filter(pk=campaign.pk).first()
                first = _next_number(campaign)
                new_codes = fresh_codes(total)
                copies = []
                number = first
                for book_id in sorted(counts):
                    for _n in range(counts[book_id]):
                        copies.append(
                            BookCopy(
                                campaign=campaign,
                                book_id=book_id,
                                code=new_codes.pop(),
                                number=number,
                                state=BookCopy.State.AT_STATION
                                if station
                                else BookCopy.State.REGISTERED,
                                station=station,
                                steps_count=1 if station else 0,
                                moved_at=now,
                                created_at=now,
                            )
                        )
                        number += 1
                BookCopy.objects.bulk_create(copies, batch_size=1000)
                if station is not None:
                    created = BookCopy.objects.filter(
                        campaign=campaign, number__gte=first, number__lt=number
                    ).values_list("pk", flat=True)
                    JourneyStep.objects.bulk_create(
                        [
                            JourneyStep(
                                copy_id=pk,
                                sequence=1,
                                kind=JourneyStep.Kind.PLACED,
                                station=station,
                                recorded_by=by,
                                created_at=now,
                            )
                            for pk in created
                        ],
                        batch_size=1000,
                    )
                transaction.on_commit(page_cache.everything_changed)
                return Registered(total, first, number - 1)
        except IntegrityError:
            if attempt == _BATCH_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def find_or_create_book(*, isbn: str, title: str, author: str = "", publisher: str = "") -> Book:
    """The catalogued book with this ISBN, else a new book (title required). Raises
    ValidationError (Chinese messages) for a wrong ISBN or hostile text."""
    isbn = normalise_isbn(isbn)
    if isbn:
        existing = Book.objects.filter(isbn=isbn).first()
        if existing is not None:
            return existing
    title = clean_public_text(title, 100)
    if not title:
        raise ValidationError({"title": _("Give the book's title.")})
    return Book.objects.create(
        isbn=isbn,
        title=title,
        author=clean_public_text(author, 100),
        publisher=clean_public_text(publisher, 100),
    )


def donate_copy(
    campaign: DriftCampaign,
    donor,
    *,
    isbn: str = "",
    title: str = "",
    author: str = "",
    publisher: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> BookCopy:
    """A signed-in reader registers their own book for the drift (投漂): a copy waiting for
    an organiser's approval, with its code already (the label is printed after approval).

    Guarantees: refused (ValidationError, nothing stored) for a wrong ISBN, a missing
    title, hostile text, or a campaign that has ended or is not public; at most 20 pending
    donations per reader and campaign.
    """
    now = now or timezone.now()
    if not campaign.is_public or timezone.localtime(now).date() > campaign.ends_on:
        raise ValidationError(_("This drift does not take donations any more."))
    pending = BookCopy.objects.filter(
        campaign=campaign, donor=donor, approval=BookCopy.Approval.PENDING
    ).count()
    if pending >= 20:
        raise ValidationError(
            _("You have 20 donations waiting for approval. Please wait for the organisers.")
        )
    note = clean_public_text(note, 200)
    with transaction.atomic():
        book = find_or_create_book(isbn=isbn, title=title, author=author, publisher=publisher)
        DriftCampaign.objects.select_for_update().filter(pk=campaign.pk).first()
        for attempt in range(_BATCH_ATTEMPTS):
            try:
                with transaction.atomic():
                    return BookCopy.objects.create(
                        campaign=campaign,
                        book=book,
                        code=fresh_codes(1)[0],
                        number=_next_number(campaign),
                        source=BookCopy.Source.DONATED,
                        approval=BookCopy.Approval.PENDING,
                        donor=donor,
                        donor_note=note,
                        moved_at=now,
                        created_at=now,
                    )
            except IntegrityError:
                if attempt == _BATCH_ATTEMPTS - 1:
                    raise
    raise AssertionError("unreachable")


def decide_donation(
    copy: BookCopy,
    *,
    approve: bool,
    by,
    station: Station | None = None,
    now: datetime.datetime | None = None,
) -> BookCopy:
    """An organiser approves a donated copy (it joins the drift, at `station` if given) or
    declines it. The donor gets a notice on their drift page. Idempotent: a decided
    donation is left as it is."""
    now = now or timezone.now()
    with transaction.atomic():
        copy = (
            BookCopy.objects.select_for_update().select_related("book", "campaign").get(pk=copy.pk)
        )
        if copy.approval != BookCopy.Approval.PENDING:
            return copy
        if approve:
            copy.approval = BookCopy.Approval.APPROVED
            copy.save(update_fields=["approval"])
            text = _("Thank you! Your donated book “%(title)s” joins the drift as copy %(code)s.")
        else:
            copy.approval = BookCopy.Approval.REJECTED
            copy.state = BookCopy.State.WITHDRAWN
            copy.save(update_fields=["approval", "state"])
            text = _(
                "The organisers could not take your book “%(title)s” into the drift this time. "
                "Thank you all the same."
            )
        if copy.donor_id:
            ReaderNotice.objects.create(
                reader_id=copy.donor_id,
                kind=ReaderNotice.Kind.DONATION,
                copy=copy,
                text=text % {"title": copy.book.title, "code": copy.display_code},
                created_at=now,
            )
        if approve:
            visibility_changed.send(sender=Book, pks=[copy.book_id])
            if station is not None:
                organiser_step(copy, JourneyStep.Kind.PLACED, by=by, station=station, now=now)
        transaction.on_commit(page_cache.everything_changed)
    return copy
