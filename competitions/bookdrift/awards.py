"""The drift's three awards, computed from the journeys; organisers confirm and publish.

- 最佳漂书 (best drifting book): copies by distinct readers, then schools reached, then
  catches, then the lower copy number.
- 最佳漂友 (best drift reader): signed-in readers by distinct copies read (caught), then
  copies passed on (released, or caught by someone else after them), then reviews written
  from the drift, then who started first.
- 最佳投漂者 (best donor): donors by approved donated copies, then the distinct readers
  their copies found, then who donated first.

Anonymous catches count for copies but no anonymous reader can win (nobody to give a
certificate to). A confirmed award is a snapshot of its figures; publishing issues the
certificates (certificates.py) and tells the winners on their drift page. Confirming again
replaces unpublished awards only: a published award must be withdrawn first.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.masking import mask_name

from .models import (
    BookCopy,
    BookReview,
    DriftAward,
    DriftCampaign,
    DriftCertificate,
    JourneyStep,
    ReaderNotice,
)

Kind = DriftAward.Kind


@dataclass(frozen=True)
class Ranked:
    rank: int
    copy_id: int | None
    person_id: int | None
    figures: dict


def _journey(campaign: DriftCampaign) -> list[tuple]:
    return list(
        JourneyStep.objects.filter(copy__campaign=campaign)
        .order_by("copy_id", "sequence")
        .values_list("copy_id", "sequence", "kind", "reader_id", "reader_key", "school_id")
    )


def _ranked(rows: list[tuple], places: int, key) -> list[tuple]:
    rows = sorted(rows, key=key)
    return rows[:places]


def rank_copies(campaign: DriftCampaign, places: int | None = None) -> list[Ranked]:
    """最佳漂书: copies by distinct readers, schools reached, catches, lower copy number."""
    readers: dict[int, set] = defaultdict(set)
    schools: dict[int, set] = defaultdict(set)
    catches: dict[int, int] = defaultdict(int)
    for copy_id, _seq, kind, _reader, reader_key, school_id in _journey(campaign):
        if kind == JourneyStep.Kind.CATCH:
            readers[copy_id].add(reader_key)
            catches[copy_id] += 1
            if school_id:
                schools[copy_id].add(school_id)
    numbers = dict(
        BookCopy.objects.filter(campaign=campaign, pk__in=list(readers)).values_list("pk", "number")
    )
    rows = [
        (copy_id, len(readers[copy_id]), len(schools[copy_id]), catches[copy_id], numbers[copy_id])
        for copy_id in readers
    ]
    rows = _ranked(rows, places or campaign.award_places, key=lambda r: (-r[1], -r[2], -r[3], r[4]))
    return [
        Ranked(
            rank,
            row[0],
            None,
            {"readers": row[1], "schools": row[2], "catches": row[3], "number": row[4]},
        )
        for rank, row in enumerate(rows, start=1)
    ]


def rank_readers(campaign: DriftCampaign, places: int | None = None) -> list[Ranked]:
    """最佳漂友: signed-in readers by copies read, copies passed on, reviews, first catch."""
    read: dict[int, set] = defaultdict(set)
    passed: dict[int, set] = defaultdict(set)
    journey = _journey(campaign)
    for index, (copy_id, _sequence, kind, reader_id, _key, _school) in enumerate(journey):
        if kind != JourneyStep.Kind.CATCH or reader_id is None:
            continue
        read[reader_id].add(copy_id)
        following = journey[index + 1] if index + 1 < len(journey) else None
        if (
            following is not None
            and following[0] == copy_id
            and following[2] in (JourneyStep.Kind.RELEASE, JourneyStep.Kind.CATCH)
        ):
            passed[reader_id].add(copy_id)
    reviews: dict[int, int] = defaultdict(int)
    for author_id in BookReview.objects.filter(
        campaign=campaign, entry__status="submitted"
    ).values_list("entry__author_id", flat=True):
        reviews[author_id] += 1
    first_at = _first_catches(campaign, list(read))
    rows = [
        (reader_id, len(read[reader_id]), len(passed[reader_id]), reviews[reader_id])
        for reader_id in read
    ]
    rows = _ranked(
        rows,
        places or campaign.award_places,
        key=lambda r: (-r[1], -r[2], -r[3], first_at.get(r[0]) or timezone.now(), r[0]),
    )
    return [
        Ranked(rank, None, row[0], {"books_read": row[1], "passed_on": row[2], "reviews": row[3]})
        for rank, row in enumerate(rows, start=1)
    ]


def _first_catches(campaign: DriftCampaign, reader_ids: list[int]) -> dict:
    first: dict = {}
    for reader_id, created_at in (
        JourneyStep.objects.filter(
            copy__campaign=campaign, kind=JourneyStep.Kind.CATCH, reader_id__in=reader_ids
        )
        .order_by("created_at")
        .values_list("reader_id", "created_at")
    ):
        first.setdefault(reader_id, created_at)
    return first


def rank_donors(campaign: DriftCampaign, places: int | None = None) -> list[Ranked]:
    """最佳投漂者: donors by approved donations, readers their copies found, first donation."""
    donated: dict[int, list[int]] = defaultdict(list)
    first: dict[int, datetime.datetime] = {}
    for copy_id, donor_id, created_at in (
        BookCopy.objects.filter(
            campaign=campaign,
            source=BookCopy.Source.DONATED,
            approval=BookCopy.Approval.APPROVED,
            donor__isnull=False,
        )
        .order_by("created_at")
        .values_list("pk", "donor_id", "created_at")
    ):
        donated[donor_id].append(copy_id)
        first.setdefault(donor_id, created_at)
    readers: dict[int, set] = defaultdict(set)
    for copy_id, _seq, kind, _reader, reader_key, _school in _journey(campaign):
        if kind == JourneyStep.Kind.CATCH:
            readers[copy_id].add(reader_key)
    rows = [
        (
            donor_id,
            len(copies),
            len(set().union(*(readers[c] for c in copies))),
        )
        for donor_id, copies in donated.items()
    ]
    rows = _ranked(
        rows, places or campaign.award_places, key=lambda r: (-r[1], -r[2], first[r[0]], r[0])
    )
    return [
        Ranked(rank, None, row[0], {"donated": row[1], "readers": row[2]})
        for rank, row in enumerate(rows, start=1)
    ]


RANKINGS = {
    Kind.BEST_COPY: rank_copies,
    Kind.BEST_READER: rank_readers,
    Kind.BEST_DONOR: rank_donors,
}


def ranking(campaign: DriftCampaign, kind: str, places: int | None = None) -> list[Ranked]:
    """The current ranking for award `kind` (not saved)."""
    return RANKINGS[kind](campaign, places)


def confirm(
    campaign: DriftCampaign, kind: str, *, by, now: datetime.datetime | None = None
) -> list[DriftAward]:
    """Saves the current ranking of `kind` as the campaign's award (unpublished), replacing
    an earlier unpublished confirmation. Refuses (ValidationError) while the award is
    published, and when nobody qualifies. Serialised per campaign (row lock)."""
    now = now or timezone.now()
    with transaction.atomic():
        DriftCampaign.objects.select_for_update().filter(pk=campaign.pk).first()
        awards = DriftAward.objects.filter(campaign=campaign, kind=kind)
        if awards.filter(published_at__isnull=False).exists():
            raise ValidationError(
                _("This award is published. Withdraw it first to confirm it again.")
            )
        ranked = ranking(campaign, kind)
        if not ranked:
            raise ValidationError(_("Nobody qualifies for this award yet."))
        awards.delete()
        return [
            DriftAward.objects.create(
                campaign=campaign,
                kind=kind,
                rank=row.rank,
                copy_id=row.copy_id,
                person_id=row.person_id,
                figures=row.figures,
                confirmed_by=by,
                confirmed_at=now,
            )
            for row in ranked
        ]


def publish(campaign: DriftCampaign, kind: str, *, now: datetime.datetime | None = None) -> int:
    """Publishes the confirmed award `kind`: the public awards page shows it, each winning
    person gets a certificate (its code kept if it had one) and a notice. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        DriftCampaign.objects.select_for_update().filter(pk=campaign.pk).first()
        awards = list(
            DriftAward.objects.filter(campaign=campaign, kind=kind).select_related(
                "person", "copy__book"
            )
        )
        if not awards:
            raise ValidationError(_("Confirm the award first."))
        for award in awards:
            if award.published_at is None:
                award.published_at = now
                award.save(update_fields=["published_at"])
            if award.person_id:
                _issue_certificate(award, campaign, now)
    return len(awards)


def withdraw(campaign: DriftCampaign, kind: str) -> int:
    """Takes a published award off the public page; its certificates stop verifying."""
    return DriftAward.objects.filter(
        campaign=campaign, kind=kind, published_at__isnull=False
    ).update(published_at=None)


def holder_name(person) -> str:
    """The name a certificate is issued with and its verification page shows: masked (张**)
    until its holder chooses another (competitions/core/certificates/names.py)."""
    name = (getattr(person, "display_name", "") or "").strip()
    return mask_name(name) if name else _("Drift reader")


def award_detail(award: DriftAward) -> str:
    """What an award was given for, in words (certificates, the awards page)."""
    figures = award.figures
    if award.kind == Kind.BEST_READER:
        return _("%(books)s books read, %(passed)s passed on") % {
            "books": figures.get("books_read", 0),
            "passed": figures.get("passed_on", 0),
        }
    if award.kind == Kind.BEST_DONOR:
        return _("%(donated)s books donated, %(readers)s readers reached") % {
            "donated": figures.get("donated", 0),
            "readers": figures.get("readers", 0),
        }
    return _("%(readers)s readers, %(schools)s schools") % {
        "readers": figures.get("readers", 0),
        "schools": figures.get("schools", 0),
    }


def award_name(award: DriftAward) -> str:
    """The award and place, as certificates print it."""
    return _("%(award)s, place %(rank)s") % {
        "award": Kind(award.kind).label,
        "rank": award.rank,
    }


def _issue_certificate(award: DriftAward, campaign: DriftCampaign, now) -> None:
    values = {
        "holder_name": holder_name(award.person),
        "award_name": award_name(award),
        "campaign_title": campaign.title,
        "detail": award_detail(award),
    }
    certificate = DriftCertificate.objects.filter(award=award).first()
    if certificate is None:
        DriftCertificate.objects.create(award=award, issued_at=now, **values)
        ReaderNotice.objects.create(
            reader_id=award.person_id,
            kind=ReaderNotice.Kind.AWARD,
            text=_("Congratulations! You won %(award)s in “%(campaign)s”.")
            % {"award": values["award_name"], "campaign": campaign.title},
            created_at=now,
        )
    elif any(getattr(certificate, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(certificate, name, value)
        certificate.issued_at = now
        certificate.save()


def published(campaign: DriftCampaign) -> dict[str, list[DriftAward]]:
    """The published awards by kind, in order."""
    result: dict[str, list[DriftAward]] = {}
    for award in (
        DriftAward.objects.filter(campaign=campaign, published_at__isnull=False)
        .select_related("copy__book", "person")
        .order_by("kind", "rank")
    ):
        result.setdefault(award.kind, []).append(award)
    return result
