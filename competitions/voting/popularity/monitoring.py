"""Fraud monitoring of share opens and comments, as votes are monitored
(competitions/voting/monitoring.py): velocity, networks, brand-new accounts."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone

from competitions.submissions.models import Contest

from ..monitoring import WINDOW
from .models import EntryComment, ShareOpen


@dataclass(frozen=True)
class ShareFigures:
    entry_id: int
    number: int
    label: str
    shares: int
    voided: int
    last_10_minutes: int
    peak_10_minutes: int
    networks: int
    top_network_percent: int


def share_figures(contest: Contest, now: datetime.datetime | None = None) -> list[ShareFigures]:
    """Per entry with share opens: valid and voided, the last and the busiest 10 minutes,
    distinct networks and the share of the busiest network."""
    now = now or timezone.now()
    opens = ShareOpen.objects.filter(contest=contest)
    rows = (
        opens.values("entry_id", "entry__number", "entry__title", "entry__contest_id")
        .annotate(
            valid=Count("pk", filter=Q(voided=False)),
            voided_count=Count("pk", filter=Q(voided=True)),
            recent=Count("pk", filter=Q(voided=False, created_at__gte=now - WINDOW)),
            networks=Count("ip_network", filter=Q(voided=False), distinct=True),
        )
        .order_by("-valid", "entry__number")
    )
    buckets: dict[int, Counter] = defaultdict(Counter)
    by_network: dict[int, Counter] = defaultdict(Counter)
    for entry_id, created_at, network in opens.filter(voided=False).values_list(
        "entry_id", "created_at", "ip_network"
    ):
        buckets[entry_id][int(created_at.timestamp() // WINDOW.total_seconds())] += 1
        by_network[entry_id][network] += 1
    return [
        ShareFigures(
            entry_id=row["entry_id"],
            number=row["entry__number"],
            label=f"C{row['entry__contest_id']}-{row['entry__number']:04d} {row['entry__title']}",
            shares=row["valid"],
            voided=row["voided_count"],
            last_10_minutes=row["recent"],
            peak_10_minutes=max(buckets[row["entry_id"]].values(), default=0),
            networks=row["networks"],
            top_network_percent=round(
                100 * max(by_network[row["entry_id"]].values(), default=0) / row["valid"]
            )
            if row["valid"]
            else 0,
        )
        for row in rows
    ]


def top_share_networks(contest: Contest, entry_id: int | None = None, limit: int = 10):
    """The networks opening most valid shares, with distinct visitors and entries."""
    opens = ShareOpen.objects.filter(contest=contest, voided=False).exclude(ip_network="")
    if entry_id:
        opens = opens.filter(entry_id=entry_id)
    return list(
        opens.values("ip_network")
        .annotate(
            shares=Count("pk"),
            visitors=Count("visitor", distinct=True),
            entries=Count("entry", distinct=True),
        )
        .order_by("-shares", "ip_network")[:limit]
    )


def comment_figures(contest: Contest) -> list[dict]:
    """Per entry: approved, pending and rejected comments, and approved ones written by
    accounts younger than KEPU_VOTING_NEW_ACCOUNT_HOURS."""
    hours = datetime.timedelta(hours=settings.KEPU_VOTING_NEW_ACCOUNT_HOURS)
    return list(
        EntryComment.objects.filter(contest=contest)
        .values("entry_id", "entry__number", "entry__title")
        .annotate(
            approved=Count("pk", filter=Q(status=EntryComment.Status.APPROVED)),
            pending=Count("pk", filter=Q(status=EntryComment.Status.PENDING)),
            rejected=Count("pk", filter=Q(status=EntryComment.Status.REJECTED)),
            new_accounts=Count(
                "pk",
                filter=Q(status=EntryComment.Status.APPROVED)
                & Q(author__date_joined__gt=F("created_at") - hours),
            ),
        )
        .order_by("-approved", "entry__number")
    )
