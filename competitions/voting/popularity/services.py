"""Share opens, comments and the popularity score.

- `record_share_open`: once per visitor, entry and day (a constraint); a repeat changes
  nothing. Counted only for entries in the contest's public vote.
- `add_comment`: signed-in users with a verified phone (as for votes), idempotent on a client
  token; hostile text and contact details refused; minors' comments wait for approval.
- `scores` / `ranking`: votes × w + shares × w + approved comments × w, with the contest's
  PopularityRule (votes alone without one). Voided votes and shares and unapproved comments
  never count. Counts are counted rows, exact under any concurrency.
"""

import datetime
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.core.text_checks import clean_public_text, needs_premoderation
from competitions.submissions.models import Contest, Entry
from kepu.days import local_day
from kepu.http import ip_hash

from ..models import Vote
from ..services import ip_network, may_vote, shown_title, user_agent_family
from ..services import votable_entries as _votable
from .models import EntryComment, PopularityAuditLog, PopularityRule, ShareOpen

COMMENT_MAX = 300


def visitor_key(user, ip: str, user_agent: str) -> str:
    """Who opened a share: the signed-in account, else the address and browser together,
    as a keyed hash (nothing reversible is stored)."""
    if user is not None and user.is_authenticated:
        raw = f"u:{user.pk}"
    else:
        raw = f"a:{ip}|{user_agent[:200]}"
    return hmac.new(
        settings.SECRET_KEY.encode(), f"share-visitor:{raw}".encode(), hashlib.sha256
    ).hexdigest()


def votable_entries(contest: Contest) -> QuerySet[Entry]:
    """The entries in the contest's public vote (the voting app's rule)."""
    return _votable(contest)


def record_share_open(
    entry: Entry,
    *,
    user=None,
    ip: str = "",
    user_agent: str = "",
    via: str = ShareOpen.Via.LINK,
    now: datetime.datetime | None = None,
) -> bool:
    """Counts one opening of `entry`'s share card or link; True when it counted.

    Guarantees: at most one per visitor, entry and day (Asia/Shanghai), also for concurrent
    requests (a constraint); only while the contest's public vote is open and only for
    entries in it; never raises for the visitor (they are redirected whatever happens).
    """
    now = now or timezone.now()
    if not entry.contest.voting_open(now):
        return False
    if not votable_entries(entry.contest).filter(pk=entry.pk).exists():
        return False
    try:
        with transaction.atomic():
            ShareOpen.objects.create(
                entry=entry,
                contest_id=entry.contest_id,
                visitor=visitor_key(user, ip, user_agent),
                day=local_day(now),
                via=via if via in ShareOpen.Via.values else ShareOpen.Via.LINK,
                created_at=now,
                ip_network=ip_network(ip),
                ip_hash=ip_hash(ip),
                user_agent_family=user_agent_family(user_agent),
            )
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class CommentResult:
    comment: EntryComment
    created: bool


def add_comment(
    entry: Entry,
    user,
    text: str,
    *,
    token: uuid.UUID,
    ip: str = "",
    user_agent: str = "",
    now: datetime.datetime | None = None,
) -> CommentResult:
    """Adds `user`'s comment on `entry`. Guarantees: idempotent on `token` (a replay returns
    the first comment); refused (ValidationError, Chinese message, nothing stored) for
    visitors who may not vote, outside the vote, for entries not in it, for empty, too long
    or hostile text;
    minors' comments wait for approval, adults' are public at once."""
    now = now or timezone.now()
    existing = EntryComment.objects.filter(client_token=token).first()
    if existing is not None:
        if existing.author_id != user.pk or existing.entry_id != entry.pk:
            raise ValidationError(_("This form was already used. Please reload the page."))
        return CommentResult(existing, False)
    if not may_vote(user):
        raise ValidationError(_("Only signed-in users with a verified mobile number can comment."))
    if not entry.contest.voting_open(now):
        raise ValidationError(_("Comments are open while the public vote is."))
    if not votable_entries(entry.contest).filter(pk=entry.pk).exists():
        raise ValidationError(_("This entry is not part of the public vote."))
    text = clean_public_text(text, COMMENT_MAX)
    if not text:
        raise ValidationError(_("Write a comment first."))
    status = (
        EntryComment.Status.PENDING if needs_premoderation(user) else EntryComment.Status.APPROVED
    )
    try:
        with transaction.atomic():
            comment = EntryComment.objects.create(
                entry=entry,
                contest_id=entry.contest_id,
                author=user,
                text=text,
                status=status,
                client_token=token,
                created_at=now,
                ip_network=ip_network(ip),
                ip_hash=ip_hash(ip),
                user_agent_family=user_agent_family(user_agent),
            )
    except IntegrityError:
        return CommentResult(EntryComment.objects.get(client_token=token), False)
    return CommentResult(comment, True)


def approved_comments(entry: Entry) -> QuerySet[EntryComment]:
    """The entry's public comments, newest first."""
    return EntryComment.objects.filter(entry=entry, status=EntryComment.Status.APPROVED).order_by(
        "-created_at", "-pk"
    )


def decide_comments(
    comments: QuerySet[EntryComment],
    *,
    contest: Contest,
    approve: bool,
    actor,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> int:
    """Approves pending comments, or rejects comments (pending or approved: rejecting an
    approved one takes it off the page and out of the score). A rejection needs a reason
    and is kept in the append-only audit log. Returns how many changed."""
    now = now or timezone.now()
    reason = " ".join((reason or "").split())[:200]
    if not approve and not reason:
        raise ValidationError(_("Give a reason for rejecting."))
    with transaction.atomic():
        candidates = comments.filter(contest=contest)
        if approve:
            candidates = candidates.filter(status=EntryComment.Status.PENDING)
        else:
            candidates = candidates.exclude(status=EntryComment.Status.REJECTED)
        ids = list(candidates.select_for_update().order_by("pk").values_list("pk", flat=True))
        status = EntryComment.Status.APPROVED if approve else EntryComment.Status.REJECTED
        EntryComment.objects.filter(pk__in=ids).update(
            status=status, reason=reason, moderated_by=actor, moderated_at=now
        )
        if not approve:
            PopularityAuditLog.objects.create(
                contest=contest,
                actor=actor,
                action="reject_comments",
                reason=reason,
                object_ids=ids,
                affected=len(ids),
            )
    return len(ids)


def void_shares(
    shares: QuerySet[ShareOpen],
    *,
    contest: Contest,
    actor,
    reason: str,
    criteria: dict | None = None,
    now: datetime.datetime | None = None,
) -> PopularityAuditLog:
    """Voids the contest's valid share opens among `shares`, with a reason, in one
    transaction with its append-only audit record (as voting.services.void_votes)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValueError("a reason is required")
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            shares.filter(contest=contest, voided=False)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        ShareOpen.objects.filter(pk__in=ids).update(
            voided=True, voided_reason=reason[:200], voided_at=now
        )
        return PopularityAuditLog.objects.create(
            contest=contest,
            actor=actor,
            action="void_shares",
            reason=reason[:200],
            criteria=criteria or {},
            object_ids=ids,
            affected=len(ids),
        )


def rule_for(contest: Contest) -> PopularityRule | None:
    """The contest's popularity weights, or None (popularity is then votes alone)."""
    return PopularityRule.objects.filter(contest=contest).first()


@dataclass(frozen=True)
class PopularityRow:
    rank: int
    entry_id: int
    entry_number: int
    number: str
    title: str
    group: str
    votes: int
    shares: int
    comments: int
    score: Decimal


def _counts(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    def counted(model, condition):
        rows = (
            model.objects.filter(entry=OuterRef("pk"), **condition)
            .values("entry")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows[:1]), 0)

    return entries.annotate(
        valid_votes=counted(Vote, {"voided": False}),
        valid_shares=counted(ShareOpen, {"voided": False}),
        approved_comments=counted(EntryComment, {"status": EntryComment.Status.APPROVED}),
    )


def score(rule: PopularityRule | None, votes: int, shares: int, comments: int) -> Decimal:
    """Votes, shares and comments weighed by `rule` (votes alone without one)."""
    if rule is None:
        return Decimal(votes)
    return (
        rule.vote_weight * votes + rule.share_weight * shares + rule.comment_weight * comments
    ).quantize(Decimal("0.01"))


def ranking(contest: Contest, group_id: int | None = None) -> list[PopularityRow]:
    """The votable entries by popularity score, highest first (ties: more votes, then the
    lower entry number); equal scores share a rank. Titles only of publicly displayable
    entries (voting.services.shown_title)."""
    rule = rule_for(contest)
    entries = votable_entries(contest)
    if group_id:
        entries = entries.filter(group_id=group_id)
    shown = set(entries.publicly_displayable().values_list("pk", flat=True))
    rows = []
    for entry in _counts(entries).select_related("group"):
        rows.append(
            (
                score(rule, entry.valid_votes, entry.valid_shares, entry.approved_comments),
                entry,
            )
        )
    rows.sort(key=lambda item: (-item[0], -item[1].valid_votes, item[1].number or 0))
    result: list[PopularityRow] = []
    for position, (points, entry) in enumerate(rows, start=1):
        rank = result[-1].rank if result and result[-1].score == points else position
        result.append(
            PopularityRow(
                rank=rank,
                entry_id=entry.pk,
                entry_number=entry.number,
                number=entry.display_number,
                title=entry.title if entry.pk in shown else "",
                group=entry.group.name,
                votes=entry.valid_votes,
                shares=entry.valid_shares,
                comments=entry.approved_comments,
                score=points,
            )
        )
    return result


def entry_figures(entry: Entry) -> PopularityRow | None:
    """One entry's counts and score (None when it is not in the vote)."""
    counted = _counts(votable_entries(entry.contest).filter(pk=entry.pk)).first()
    if counted is None:
        return None
    rule = rule_for(entry.contest)
    return PopularityRow(
        rank=0,
        entry_id=entry.pk,
        entry_number=entry.number,
        number=entry.display_number,
        title=shown_title(entry),
        group="",
        votes=counted.valid_votes,
        shares=counted.valid_shares,
        comments=counted.approved_comments,
        score=score(rule, counted.valid_votes, counted.valid_shares, counted.approved_comments),
    )
