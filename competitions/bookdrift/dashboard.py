"""A campaign's figures for organisers (the dashboard and the export).

Everything is aggregated in the database: a handful of queries whatever the number of
copies and steps.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from .models import BookCopy, BookReview, DriftCampaign, DriftReminder, JourneyStep

READER_BUCKETS = [(0, 0), (1, 1), (2, 3), (4, 6), (7, None)]


@dataclass
class Figures:
    copies: int = 0
    registered: int = 0
    at_stations: int = 0
    reading: int = 0
    passed_on: int = 0
    in_circulation: int = 0
    idle: int = 0
    lost: int = 0
    withdrawn: int = 0
    pending_donations: int = 0
    catches: int = 0
    readers: int = 0
    signed_in_readers: int = 0
    readers_per_copy: float = 0.0
    most_readers: int = 0
    reader_buckets: list[tuple[str, int]] = field(default_factory=list)
    schools: list[dict] = field(default_factory=list)
    classes: list[dict] = field(default_factory=list)
    stations: list[dict] = field(default_factory=list)
    reviews: int = 0
    reviews_shown: int = 0
    notes_pending: int = 0
    reminders: int = 0


def idle_since(campaign: DriftCampaign, now: datetime.datetime | None = None) -> datetime.datetime:
    """Copies that have not moved since this moment are idle (漂不动)."""
    return (now or timezone.now()) - campaign.reading_period


def figures(campaign: DriftCampaign, now: datetime.datetime | None = None) -> Figures:
    """The campaign's figures now (see Figures); a handful of aggregate queries."""
    now = now or timezone.now()
    copies = BookCopy.objects.filter(campaign=campaign)
    state = BookCopy.State
    approved = copies.filter(approval=BookCopy.Approval.APPROVED)
    counts = approved.aggregate(
        total=Count("pk", filter=~Q(state=state.WITHDRAWN)),
        registered=Count("pk", filter=Q(state=state.REGISTERED)),
        at_stations=Count("pk", filter=Q(state=state.AT_STATION)),
        reading=Count("pk", filter=Q(state=state.READING)),
        passed_on=Count("pk", filter=Q(state=state.PASSED_ON)),
        lost=Count("pk", filter=Q(state=state.LOST)),
        withdrawn=Count("pk", filter=Q(state=state.WITHDRAWN)),
        idle=Count(
            "pk",
            filter=Q(moved_at__lt=idle_since(campaign, now))
            & ~Q(state__in=[state.LOST, state.WITHDRAWN]),
        ),
    )
    result = Figures(
        copies=counts["total"],
        registered=counts["registered"],
        at_stations=counts["at_stations"],
        reading=counts["reading"],
        passed_on=counts["passed_on"],
        in_circulation=counts["reading"] + counts["passed_on"],
        idle=counts["idle"],
        lost=counts["lost"],
        withdrawn=counts["withdrawn"],
        pending_donations=copies.filter(approval=BookCopy.Approval.PENDING).count(),
    )
    catches = JourneyStep.objects.filter(copy__campaign=campaign, kind=JourneyStep.Kind.CATCH)
    totals = catches.aggregate(
        catches=Count("pk"),
        readers=Count("reader_key", distinct=True),
        signed_in=Count("reader_id", distinct=True),
    )
    result.catches = totals["catches"]
    result.readers = totals["readers"]
    result.signed_in_readers = totals["signed_in"]
    per_copy = list(
        approved.exclude(state=state.WITHDRAWN)
        .annotate(
            readers=Count(
                "steps__reader_key", filter=Q(steps__kind=JourneyStep.Kind.CATCH), distinct=True
            )
        )
        .values_list("readers", flat=True)
    )
    if per_copy:
        result.readers_per_copy = round(sum(per_copy) / len(per_copy), 2)
        result.most_readers = max(per_copy)
    for low, high in READER_BUCKETS:
        label = str(low) if low == high else (f"{low}–{high}" if high else f"{low}+")
        count = sum(1 for n in per_copy if n >= low and (high is None or n <= high))
        result.reader_buckets.append((label, count))
    result.schools = list(
        catches.filter(school__isnull=False)
        .values("school_id", "school__name")
        .annotate(readers=Count("reader_key", distinct=True), catches=Count("pk"))
        .order_by("-readers", "school__name")
    )
    result.classes = list(
        catches.filter(school_class__isnull=False)
        .values("school_class_id", "school_class__name", "school__name")
        .annotate(readers=Count("reader_key", distinct=True), catches=Count("pk"))
        .order_by("-readers", "school__name", "school_class__name")
    )
    result.stations = list(
        campaign.stations.annotate(
            waiting=Count(
                "copies",
                filter=Q(copies__campaign=campaign, copies__state=state.AT_STATION),
            )
        )
        .values("pk", "name", "waiting")
        .order_by("name")
    )
    reviews = BookReview.objects.filter(campaign=campaign)
    result.reviews = reviews.count()
    result.reviews_shown = reviews.filter(shown=True).count()
    result.notes_pending = JourneyStep.objects.filter(
        copy__campaign=campaign, text_status=JourneyStep.TextStatus.PENDING
    ).count()
    result.reminders = DriftReminder.objects.filter(copy__campaign=campaign).count()
    return result


def idle_copies(campaign: DriftCampaign, now: datetime.datetime | None = None, limit: int = 50):
    """The copies idle longest (漂不动), for organisers to restart."""
    return (
        BookCopy.objects.filter(
            campaign=campaign,
            approval=BookCopy.Approval.APPROVED,
            moved_at__lt=idle_since(campaign, now),
        )
        .exclude(state__in=[BookCopy.State.LOST, BookCopy.State.WITHDRAWN])
        .select_related("book", "station")
        .order_by("moved_at")[:limit]
    )


def recent_reminders(campaign: DriftCampaign, limit: int = 50):
    """The campaign's latest reminders, for organisers to see who was reminded."""
    return (
        DriftReminder.objects.filter(copy__campaign=campaign)
        .select_related("copy__book", "reader", "requested_by")
        .order_by("-created_at", "-pk")[:limit]
    )
