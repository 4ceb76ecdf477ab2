"""The verifiable prize draw (抽奖): eligibility, commitment, the draw, and winners' claims.

The procedure is documented step by step, with exact byte encodings and a worked example,
in docs/quiz-prize-draw.md. In short:

1. Commit (after the quiz closes): the eligible participants' public numbers, sorted, make a
   canonical text; a 32-byte secret seed is generated. sha256(seed) and sha256(text) are
   published, with the text itself for download.
2. Draw: the eligible list is recomputed and must hash the same; `draw_winners()` picks the
   winners from (seed, list, prizes); the seed is published.
3. Anyone recomputes the winners from the published seed, list and prizes with
   `manage.py verify_prize_draw` (which calls the same `draw_winners()`) or the ten-line
   script in the docs.
"""

import hashlib
import logging
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exports import ExportSection
from kepu.refusals import Refusal

from ..models import Prize, PrizeClaim, PrizeClaimAccess, PrizeDraw, Quiz, QuizAttempt, Winner
from .notifications import notify_winners

logger = logging.getLogger(__name__)

SEED_BYTES = 32
PARTICIPANT_NUMBER_LENGTH = 16
PARTICIPANT_NUMBER_PREFIX = "kepu-prize-draw/v1"
_PARTICIPANT_NUMBER = re.compile(r"^[0-9a-f]{16}$")
# Characters that would break the "name:count,name:count" notation of prizes.
PRIZE_NAME_FORBIDDEN = re.compile(r"[:,\r\n\t]")

FINISHED = (QuizAttempt.Status.SUBMITTED, QuizAttempt.Status.EXPIRED)


class PrizeDrawError(Refusal):
    """A draw step refused; `message` is a Chinese sentence for the organiser."""


# --- the pure procedure (shared by the real draw and verify_prize_draw) -------------------

K = TypeVar("K")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def participant_number(quiz_id: int, user_id: int) -> str:
    """A participant's public number in one quiz: stable, opaque, without names or phones.

    The first 16 hex digits of sha256("kepu-prize-draw/v1:<quiz id>:<account id>"), UTF-8.
    It does not depend on attempts, so it never changes; 64 bits make a collision between
    two participants of one quiz practically impossible (the commit still refuses one).
    """
    text = f"{PARTICIPANT_NUMBER_PREFIX}:{quiz_id}:{user_id}"
    return sha256_hex(text.encode("utf-8"))[:PARTICIPANT_NUMBER_LENGTH]


def canonical_list_text(numbers: Sequence[str]) -> str:
    """The eligible list as published: sorted, one number a line, each ending in "\\n"."""
    return "".join(f"{number}\n" for number in sorted(numbers))


def parse_list_text(text: str) -> list[str]:
    """The numbers of a published eligible list; ValueError unless `text` is canonical."""
    if text == "":
        return []
    if not text.endswith("\n"):
        raise ValueError("the list must end with a newline")
    numbers = text[:-1].split("\n")
    for number in numbers:
        if not _PARTICIPANT_NUMBER.match(number):
            raise ValueError(f"not a participant number: {number!r}")
    if numbers != sorted(set(numbers)):
        raise ValueError("the numbers must be sorted and distinct")
    return numbers


def draw_index(seed: bytes, step: int, remaining: int) -> int:
    """Step `step`'s pick among `remaining` people: sha256(seed ‖ step as 8 bytes) mod remaining.

    The digest is read as a 256-bit big-endian unsigned integer; the modulo bias is below
    2**-200 for any real number of participants.
    """
    digest = hashlib.sha256(seed + step.to_bytes(8, "big")).digest()
    return int.from_bytes(digest, "big") % remaining


def draw_winners(
    seed: bytes, eligible: Sequence[str], prizes: Sequence[tuple[K, int]]
) -> list[tuple[K, str]]:
    """The winners as (prize, participant number), in drawing order. Deterministic.

    `eligible` must be the sorted list; `prizes` are (prize, count) in prize order. Slots are
    the prizes repeated by their counts (一等奖, 二等奖, 二等奖, 二等奖 …). At step i the
    winner is removed from the remaining list, so nobody wins twice; when people run out,
    the remaining slots stay empty.
    """
    remaining = list(eligible)
    if remaining != sorted(remaining):
        raise ValueError("the eligible list must be sorted")
    slots = [prize for prize, count in prizes for _ in range(count)]
    winners = []
    for step, prize in enumerate(slots):
        if not remaining:
            break
        winners.append((prize, remaining.pop(draw_index(seed, step, len(remaining)))))
    return winners


def prizes_spec(prizes: Sequence[tuple[str, int]]) -> str:
    """ "一等奖:1,二等奖:3": the prizes in order, as verify_prize_draw's --prizes takes them."""
    return ",".join(f"{name}:{count}" for name, count in prizes)


def parse_prizes_spec(spec: str) -> list[tuple[str, int]]:
    """The inverse of `prizes_spec`; ValueError on anything else."""
    prizes = []
    for part in spec.split(","):
        name, sep, count = part.rpartition(":")
        name = name.strip()
        if not sep or not name or not count.strip().isdigit() or int(count) < 1:
            raise ValueError(f"expected name:count, got {part!r}")
        prizes.append((name, int(count)))
    if len({name for name, _ in prizes}) != len(prizes):
        raise ValueError("prize names must be distinct")
    return prizes


def seed_from_hex(text: str) -> bytes:
    """The seed's 32 bytes from its 64 hex digits; ValueError otherwise."""
    seed = bytes.fromhex(text.strip())
    if len(seed) != SEED_BYTES:
        raise ValueError(f"the seed has {SEED_BYTES} bytes ({2 * SEED_BYTES} hex digits)")
    return seed


# --- eligibility ----------------------------------------------------------------------------


def qualifying_attempts(quiz: Quiz):
    """The finished, signed-in attempts that meet the quiz's prize rule (and are not flagged,
    if the organiser excluded flagged attempts). Empty when the quiz has no prizes."""
    attempts = QuizAttempt.objects.filter(
        quiz=quiz, user__isnull=False, status__in=FINISHED, score__isnull=False, max_score__gt=0
    )
    if quiz.prize_rule == Quiz.PrizeRule.FULL_MARKS:
        attempts = attempts.filter(score=F("max_score"))
    elif quiz.prize_rule == Quiz.PrizeRule.PASS_MARK:
        # score / max_score >= pass_mark / 100, in integers (no rounding at the boundary).
        attempts = attempts.alias(score_x100=F("score") * 100).filter(
            score_x100__gte=F("max_score") * quiz.pass_mark
        )
    else:
        return attempts.none()
    if quiz.exclude_flagged_from_prizes:
        attempts = attempts.filter(flagged_fast=False)
    return attempts


def eligible_user_ids(quiz: Quiz) -> list[int]:
    """The accounts eligible for the quiz's draw, each once."""
    return sorted(set(qualifying_attempts(quiz).values_list("user_id", flat=True)))


def eligible_numbers(quiz: Quiz) -> dict[str, int]:
    """Participant number → account id for every eligible participant.

    Raises PrizeDrawError in the (astronomically unlikely) case of two equal numbers.
    """
    numbers = {}
    for user_id in eligible_user_ids(quiz):
        number = participant_number(quiz.pk, user_id)
        if number in numbers:
            raise PrizeDrawError(_("Two participants share a number; the draw cannot go on."))
        numbers[number] = user_id
    return numbers


def quiz_prizes(quiz: Quiz) -> list[Prize]:
    return list(quiz.prizes.order_by("order", "pk"))


# --- commit and draw --------------------------------------------------------------------------


def commit_draw(quiz: Quiz, *, by=None, now=None) -> PrizeDraw:
    """Publishes the commitment: a fresh secret seed and the eligible list, by their hashes.

    Refused (PrizeDrawError, nothing stored) unless the quiz has a prize rule and prizes, has
    closed, and has no attempt still in progress (it could still change the list). At most
    one commitment per quiz (a database constraint); committing again is refused.
    """
    now = now or timezone.now()
    with transaction.atomic():
        quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
        if PrizeDraw.objects.filter(quiz=quiz).exists():
            raise PrizeDrawError(_("The draw for this quiz has already been committed."))
        if quiz.prize_rule == Quiz.PrizeRule.NONE:
            raise PrizeDrawError(_("This quiz has no prize rule, so there is nobody to draw."))
        prizes = quiz_prizes(quiz)
        if not prizes:
            raise PrizeDrawError(_("Add at least one prize before committing the draw."))
        if quiz.status(now) != "closed":
            raise PrizeDrawError(_("The draw can be committed only after the quiz has closed."))
        open_attempts = QuizAttempt.objects.filter(
            quiz=quiz, status=QuizAttempt.Status.IN_PROGRESS
        ).count()
        if open_attempts:
            raise PrizeDrawError(
                _(
                    "%(count)d attempts have not finished yet. Wait until they are submitted "
                    "or time out, then commit."
                )
                % {"count": open_attempts}
            )
        numbers = eligible_numbers(quiz)
        text = canonical_list_text(list(numbers))
        seed = secrets.token_bytes(SEED_BYTES)
        try:
            with transaction.atomic():
                draw = PrizeDraw.objects.create(
                    quiz=quiz,
                    seed=seed.hex(),
                    seed_hash=sha256_hex(seed),
                    eligible_list=text,
                    eligible_hash=sha256_hex(text.encode("utf-8")),
                    eligible_count=len(numbers),
                    prizes_spec=prizes_spec([(p.name, p.count) for p in prizes]),
                    committed_at=now,
                    committed_by=by,
                )
        except IntegrityError as exc:
            raise PrizeDrawError(_("The draw for this quiz has already been committed.")) from exc
    logger.info(
        "prize draw committed",
        extra={"quiz_id": quiz.pk, "eligible_count": len(numbers), "seed_hash": draw.seed_hash},
    )
    return draw


def run_draw(quiz: Quiz, *, by=None, now=None) -> PrizeDraw:
    """Draws the winners with the committed seed and publishes the seed.

    Guarantees: only after the quiz has closed and the draw was committed; the eligible list
    is recomputed and the draw is refused (PrizeDrawError, nothing changed) if its hash
    differs from the committed one or the prizes changed; winners come from `draw_winners()`
    exactly as verify_prize_draw recomputes them; one prize per person (a constraint);
    winners are told by text message and e-mail after the commit (notifications.py).
    Idempotent: drawing again returns the draw as it is.
    """
    now = now or timezone.now()
    with transaction.atomic():
        draw = PrizeDraw.objects.select_for_update().filter(quiz=quiz).first()
        if draw is None:
            raise PrizeDrawError(_("Commit the draw first, so its hashes are published."))
        if draw.is_drawn:
            return draw
        if quiz.status(now) != "closed":
            raise PrizeDrawError(_("The draw can take place only after the quiz has closed."))
        numbers = eligible_numbers(quiz)
        text = canonical_list_text(list(numbers))
        if sha256_hex(text.encode("utf-8")) != draw.eligible_hash:
            raise PrizeDrawError(
                _(
                    "The list of eligible participants has changed since the commitment "
                    "(%(then)d then, %(now)d now), so the draw is refused."
                )
                % {"then": draw.eligible_count, "now": len(numbers)}
            )
        prizes = quiz_prizes(quiz)
        if prizes_spec([(p.name, p.count) for p in prizes]) != draw.prizes_spec:
            raise PrizeDrawError(_("The prizes have changed since the commitment."))
        seed = seed_from_hex(draw.seed)
        drawn = draw_winners(seed, parse_list_text(text), [(p, p.count) for p in prizes])
        Winner.objects.bulk_create(
            Winner(
                draw=draw,
                prize=prize,
                user_id=numbers[number],
                participant_number=number,
                position=position,
            )
            for position, (prize, number) in enumerate(drawn)
        )
        draw.state = PrizeDraw.State.DRAWN
        draw.drawn_at = now
        draw.drawn_by = by
        draw.save(update_fields=["state", "drawn_at", "drawn_by"])
        notify_winners(draw)
    logger.info("prize draw drawn", extra={"quiz_id": quiz.pk, "winners": len(drawn)})
    return draw


def lock_claims(draw: PrizeDraw, *, now=None) -> PrizeDraw:
    """Stops winners from changing their claims (e.g. once prizes are being sent)."""
    if not draw.is_drawn:
        raise PrizeDrawError(_("Claims can be locked only after the draw."))
    PrizeDraw.objects.filter(pk=draw.pk, claims_locked_at__isnull=True).update(
        claims_locked_at=now or timezone.now()
    )
    draw.refresh_from_db()
    return draw


def set_prizes(quiz: Quiz, prizes: Sequence[tuple[str, int]]) -> list[Prize]:
    """Replaces the quiz's prizes with `prizes` (name, count) in this order.

    Refused once the draw is committed: the published commitment includes the prizes.
    """
    with transaction.atomic():
        Quiz.objects.select_for_update().get(pk=quiz.pk)
        if PrizeDraw.objects.filter(quiz=quiz).exists():
            raise PrizeDrawError(_("The prizes cannot change once the draw is committed."))
        quiz.prizes.all().delete()
        return [
            Prize.objects.create(quiz=quiz, name=name, count=count, order=order)
            for order, (name, count) in enumerate(prizes)
        ]


# --- what a signed-in participant sees ------------------------------------------------------


def winner_for(quiz: Quiz, user) -> Winner | None:
    """The user's win in this quiz's draw, if the draw happened and they won."""
    if not user.is_authenticated:
        return None
    return (
        Winner.objects.select_related("prize", "draw")
        .filter(draw__quiz=quiz, draw__state=PrizeDraw.State.DRAWN, user=user)
        .first()
    )


@dataclass(frozen=True)
class ClaimDetails:
    recipient_name: str
    phone: str
    address: str
    note: str = ""


def save_claim(winner: Winner, user, details: ClaimDetails, *, now=None) -> PrizeClaim:
    """Creates or updates the winner's claim (one per winner, a constraint).

    Refused (PrizeDrawError) unless `user` is the winner and the organiser has not locked
    claims. The details are expected cleaned (ClaimForm does that).
    """
    now = now or timezone.now()
    with transaction.atomic():
        draw = PrizeDraw.objects.select_for_update().get(pk=winner.draw_id)
        if winner.user_id is None or winner.user_id != user.pk:
            raise PrizeDrawError(_("Only the winner can claim this prize."))
        if draw.claims_locked:
            raise PrizeDrawError(
                _("The organiser has closed the claim form; contact them to change it.")
            )
        claim, created = PrizeClaim.objects.get_or_create(
            winner=winner,
            defaults={
                "user": user,
                "recipient_name": details.recipient_name,
                "phone": details.phone,
                "address": details.address,
                "note": details.note,
                "submitted_at": now,
                "updated_at": now,
            },
        )
        if not created:
            claim.recipient_name = details.recipient_name
            claim.phone = details.phone
            claim.address = details.address
            claim.note = details.note
            claim.updated_at = now
            claim.save()
    logger.info("prize claim saved", extra={"winner_id": winner.pk, "created": created})
    return claim


def record_claim_access(claim: PrizeClaim, viewer, *, now=None) -> None:
    """Logs that `viewer` opened the claim's full details (database row and log line)."""
    PrizeClaimAccess.objects.create(claim=claim, viewer=viewer, accessed_at=now or timezone.now())
    logger.info("prize claim viewed", extra={"claim_id": claim.pk, "viewer_id": viewer.pk})


def mask_address(address: str) -> str:
    """ "浙江省杭州市西湖区文三路 90 号" → "浙江省杭州市****": the region shows, the rest not."""
    address = address.strip()
    if not address:
        return ""
    return address[: min(6, max(len(address) // 2, 1))] + "****"


def export_prize_wins(user) -> ExportSection | None:
    """The user's wins and claims for their data export (accounts.exports registry)."""
    wins = Winner.objects.filter(user=user).select_related("prize", "draw__quiz")
    rows = []
    for win in wins:
        claim = PrizeClaim.objects.filter(winner=win).first()
        rows.append(
            {
                "quiz": win.draw.quiz.title,
                "prize": win.prize.name,
                "participant_number": win.participant_number,
                "drawn_at": win.draw.drawn_at,
                "claim": None
                if claim is None
                else {
                    "recipient_name": claim.recipient_name,
                    "phone": claim.phone,
                    "address": claim.address,
                    "note": claim.note,
                    "submitted_at": claim.submitted_at,
                    "updated_at": claim.updated_at,
                },
            }
        )
    return ExportSection("quiz_prizes", rows) if rows else None
