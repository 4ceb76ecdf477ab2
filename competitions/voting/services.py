"""Casting, counting, ranking and voiding public votes.

What must hold under concurrent requests is a database constraint (models/votes.py): one
vote per voter, entry and day, and at most `Contest.votes_per_day` daily slots per voter and
contest. The checks here come first only to give a friendly message; a lost race is retried
or answered with the same message. Counts are counted rows, never a read-modify-write.
"""

import datetime
import ipaddress
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competitions.submissions.eligibility import competing
from competitions.submissions.models import Contest, Entry
from kepu.days import local_day
from kepu.http import ip_hash
from kepu.refusals import Refusal

from .models import Shortlist, Vote, VoteAuditLog


class VoteError(Refusal):
    """A refusal with a message for the voter; nothing was changed."""

    message = _("This vote cannot be counted.")


class VotingClosed(VoteError):
    message = _("Voting is not open for this contest now.")


class NotEligible(VoteError):
    message = _("Only signed-in users with a verified mobile number can vote.")


class EntryNotShortlisted(VoteError):
    message = _("This entry is not part of the public vote.")


class VoteLimitExceeded(VoteError):
    message = _("You have used all your votes for today. Come back tomorrow.")


@dataclass(frozen=True)
class VoteResult:
    vote: Vote
    created: bool  # False: the voter had already voted for this entry today
    count: int


def ip_network(address: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of `address`, or "" if it is not an address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def user_agent_family(user_agent: str) -> str:
    """A coarse browser family (WeChat, Chrome …); scripts say what they are."""
    ua = user_agent.lower()
    for needle, family in (
        ("micromessenger", "WeChat"),
        ("curl", "script"),
        ("python", "script"),
        ("wget", "script"),
        ("bot", "bot"),
        ("edg/", "Edge"),
        ("firefox", "Firefox"),
        ("chrome", "Chrome"),
        ("safari", "Safari"),
    ):
        if needle in ua:
            return family
    return "other" if ua else ""


def may_vote(user) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.phone_verified
    )


def votable_entries(contest: Contest) -> QuerySet[Entry]:
    """The entries of `contest` the public may vote for: its shortlist, or, while the
    organisers have shortlisted nothing, every submitted entry; never one an organiser
    ruled out (submissions/eligibility.py)."""
    entries = competing(Entry.objects.filter(contest=contest))
    shortlisted = Shortlist.objects.filter(contest=contest)
    if shortlisted.exists():
        entries = entries.filter(pk__in=shortlisted.values("entry_id"))
    return entries


def shown_title(entry: Entry) -> str:
    """The title public vote pages and share cards may show: empty unless the entry is
    publicly displayable (a child's work needs the guardian's display consent)."""
    return entry.title if entry.is_publicly_displayable() else ""


def entry_count(entry: Entry) -> int:
    """The entry's valid (not voided) votes, counted exactly."""
    return Vote.objects.filter(entry=entry, voided=False).count()


def cast_vote(
    entry: Entry,
    voter,
    *,
    ip: str = "",
    user_agent: str = "",
    now: datetime.datetime | None = None,
) -> VoteResult:
    """Records `voter`'s vote for `entry` today, or returns today's existing vote.

    Guarantees, also for concurrent requests (constraints, retried on a lost race): one
    vote per voter, entry and day (a repeat returns the first with `created=False`), and no
    more than `votes_per_day` votes per voter, contest and day. Refuses with a VoteError
    outside the vote phase, for voters without a verified phone and for entries not in
    the vote; nothing is written then.
    """
    now = now or timezone.now()
    contest = entry.contest
    if not may_vote(voter):
        raise NotEligible
    if not contest.voting_open(now):
        raise VotingClosed
    if not votable_entries(contest).filter(pk=entry.pk).exists():
        raise EntryNotShortlisted
    day = local_day(now)
    limit = contest.votes_per_day
    details = {
        "ip_network": ip_network(ip),
        "ip_hash": ip_hash(ip),
        "user_agent_family": user_agent_family(user_agent),
    }
    for _attempt in range(limit + 2):
        existing = Vote.objects.filter(voter=voter, entry=entry, day=day).first()
        if existing is not None:
            return VoteResult(existing, False, entry_count(entry))
        taken = set(
            Vote.objects.filter(voter=voter, contest=contest, day=day).values_list(
                "slot", flat=True
            )
        )
        free = [slot for slot in range(1, limit + 1) if slot not in taken]
        if not free:
            raise VoteLimitExceeded
        try:
            with transaction.atomic():
                vote = Vote.objects.create(
                    entry=entry,
                    contest=contest,
                    voter=voter,
                    day=day,
                    slot=free[0],
                    created_at=now,
                    **details,
                )
        except IntegrityError:
            # Another request of the same voter took this slot or voted for this entry
            # at the same moment: look again.
            continue
        return VoteResult(vote, True, entry_count(entry))
    raise VoteLimitExceeded


def votes_left_today(contest: Contest, voter, now: datetime.datetime | None = None) -> int:
    if not may_vote(voter):
        return 0
    used = Vote.objects.filter(
        voter=voter, contest=contest, day=local_day(now or timezone.now())
    ).count()
    return max(0, contest.votes_per_day - used)


def voted_today(entry: Entry, voter, now: datetime.datetime | None = None) -> bool:
    if voter is None or not voter.is_authenticated:
        return False
    return Vote.objects.filter(
        entry=entry, voter=voter, day=local_day(now or timezone.now())
    ).exists()


@dataclass(frozen=True)
class RankedEntry:
    rank: int
    entry_id: int
    entry_number: int
    number: str
    title: str
    group: str
    votes: int


def ranking(contest: Contest, group_id: int | None = None) -> list[RankedEntry]:
    """The votable entries by valid votes, most first (ties: lower entry number first).

    Entries with the same number of votes share a rank. Only entry numbers and titles are
    shown, titles only of publicly displayable entries (competitions/submissions/display.py):
    no author data.
    """
    entries = votable_entries(contest)
    if group_id:
        entries = entries.filter(group_id=group_id)
    shown = set(entries.publicly_displayable().values_list("pk", flat=True))
    rows = (
        entries.annotate(valid_votes=Count("votes", filter=Q(votes__voided=False)))
        .select_related("group")
        .order_by("-valid_votes", "number")
    )
    result: list[RankedEntry] = []
    for position, entry in enumerate(rows, start=1):
        rank = position
        if result and result[-1].votes == entry.valid_votes:
            rank = result[-1].rank
        result.append(
            RankedEntry(
                rank=rank,
                entry_id=entry.pk,
                entry_number=entry.number,
                number=entry.display_number,
                title=entry.title if entry.pk in shown else "",
                group=entry.group.name,
                votes=entry.valid_votes,
            )
        )
    return result


def void_votes(
    votes: QuerySet[Vote],
    *,
    contest: Contest,
    actor,
    reason: str,
    criteria: dict | None = None,
    now: datetime.datetime | None = None,
) -> VoteAuditLog:
    """Voids the not-yet-voided votes of `contest` among `votes` and records it.

    Guarantees: a reason is required (ValueError otherwise, nothing changed); the votes and
    the append-only audit record change in one transaction; votes already voided are left
    as they were and not counted again. Counts drop exactly, since they count valid rows.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValueError("a reason is required")
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            votes.filter(contest=contest, voided=False)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Vote.objects.filter(pk__in=ids).update(
            voided=True, voided_reason=reason[:200], voided_by=actor, voided_at=now
        )
        return VoteAuditLog.objects.create(
            contest=contest,
            actor=actor,
            reason=reason[:200],
            criteria=criteria or {},
            vote_ids=ids,
            votes_affected=len(ids),
        )
