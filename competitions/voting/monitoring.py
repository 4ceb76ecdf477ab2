"""Fraud monitoring figures for organisers: velocity, networks, brand-new accounts.

Read-only queries over valid (not voided) votes; the admin page (viewsets.py) shows
them and voids votes through services.void_votes.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone

from competitions.submissions.models import Contest

from .models import Vote

WINDOW = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class EntryFigures:
    entry_id: int
    number: int
    label: str
    votes: int
    voided: int
    last_10_minutes: int
    peak_10_minutes: int
    new_account_percent: int


def new_account_q(prefix: str = "") -> Q:
    """Votes cast within KEPU_VOTING_NEW_ACCOUNT_HOURS of the voter's sign-up."""
    hours = datetime.timedelta(hours=settings.KEPU_VOTING_NEW_ACCOUNT_HOURS)
    return Q(**{f"{prefix}voter__date_joined__gt": F(f"{prefix}created_at") - hours})


def entry_figures(contest: Contest, now: datetime.datetime | None = None) -> list[EntryFigures]:
    """Per entry that received votes: valid and voided votes, votes in the last 10 minutes,
    the busiest 10 minutes, and the share of votes from accounts younger than a day."""
    now = now or timezone.now()
    votes = Vote.objects.filter(contest=contest)
    rows = (
        votes.values("entry_id", "entry__number", "entry__title", "entry__contest_id")
        .annotate(
            valid=Count("pk", filter=Q(voided=False)),
            voided_count=Count("pk", filter=Q(voided=True)),
            recent=Count("pk", filter=Q(voided=False, created_at__gte=now - WINDOW)),
            new_accounts=Count("pk", filter=Q(voided=False) & new_account_q()),
        )
        .order_by("-valid", "entry__number")
    )
    buckets: dict[int, Counter] = defaultdict(Counter)
    for entry_id, created_at in votes.filter(voided=False).values_list("entry_id", "created_at"):
        buckets[entry_id][int(created_at.timestamp() // WINDOW.total_seconds())] += 1
    return [
        EntryFigures(
            entry_id=row["entry_id"],
            number=row["entry__number"],
            label=f"C{row['entry__contest_id']}-{row['entry__number']:04d} {row['entry__title']}",
            votes=row["valid"],
            voided=row["voided_count"],
            last_10_minutes=row["recent"],
            peak_10_minutes=max(buckets[row["entry_id"]].values(), default=0),
            new_account_percent=round(100 * row["new_accounts"] / row["valid"])
            if row["valid"]
            else 0,
        )
        for row in rows
    ]


def top_networks(contest: Contest, entry_id: int | None = None, limit: int = 10) -> list[dict]:
    """The IP networks (/24, /48) casting most valid votes, with distinct voters and entries."""
    votes = Vote.objects.filter(contest=contest, voided=False).exclude(ip_network="")
    if entry_id:
        votes = votes.filter(entry_id=entry_id)
    return list(
        votes.values("ip_network")
        .annotate(
            votes=Count("pk"),
            voters=Count("voter", distinct=True),
            entries=Count("entry", distinct=True),
        )
        .order_by("-votes", "ip_network")[:limit]
    )


def new_account_share(contest: Contest) -> int:
    """Percent of the contest's valid votes cast by accounts younger than a day."""
    votes = Vote.objects.filter(contest=contest, voided=False)
    total = votes.count()
    return round(100 * votes.filter(new_account_q()).count() / total) if total else 0


# --- what needs an organiser's attention now (the admin dashboard) ----------------------------

DAY = datetime.timedelta(hours=24)


@dataclass(frozen=True)
class Attention:
    """A contest in its public vote and what its last 24 hours of votes show."""

    contest: Contest
    votes: int
    new_account_percent: int
    busy_networks: list[tuple[str, int]]

    @property
    def new_accounts_flagged(self) -> bool:
        return (
            self.votes >= settings.KEPU_VOTING_ATTENTION_MIN_VOTES
            and self.new_account_percent >= settings.KEPU_VOTING_ATTENTION_NEW_ACCOUNT_PERCENT
        )

    @property
    def flagged(self) -> bool:
        return self.new_accounts_flagged or bool(self.busy_networks)


def voting_attention(now: datetime.datetime | None = None, limit: int = 10) -> list[Attention]:
    """The contests whose public vote is open, flagged first: a share of votes from
    brand-new accounts of at least KEPU_VOTING_ATTENTION_NEW_ACCOUNT_PERCENT %, or a network
    casting at least KEPU_VOTING_ATTENTION_NETWORK_VOTES valid votes, in the last 24 hours.
    Three queries whatever the number of contests."""
    now = now or timezone.now()
    contests = list(
        Contest.objects.filter(voting_opens_at__lte=now, voting_closes_at__gt=now).order_by(
            "voting_closes_at"
        )[:limit]
    )
    recent = Vote.objects.filter(contest__in=contests, voided=False, created_at__gte=now - DAY)
    figures = {
        row["contest_id"]: row
        for row in recent.values("contest_id").annotate(
            votes=Count("pk"), new_accounts=Count("pk", filter=new_account_q())
        )
    }
    busy: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for row in (
        recent.exclude(ip_network="")
        .values("contest_id", "ip_network")
        .annotate(votes=Count("pk"))
        .filter(votes__gte=settings.KEPU_VOTING_ATTENTION_NETWORK_VOTES)
        .order_by("-votes")
    ):
        busy[row["contest_id"]].append((row["ip_network"], row["votes"]))
    result = []
    for contest in contests:
        row = figures.get(contest.pk, {"votes": 0, "new_accounts": 0})
        percent = round(100 * row["new_accounts"] / row["votes"]) if row["votes"] else 0
        result.append(Attention(contest, row["votes"], percent, busy[contest.pk][:3]))
    return sorted(result, key=lambda item: not item.flagged)
