"""Taking a quiz: start an attempt, save answers in batches, submit once, score, rank.

What must hold under concurrent requests (daily and total limits, one open attempt, one
submission, one application per batch token) is a database constraint or a row lock; the
checks here come first only to give a friendly message. Scoring happens inside the submit
transaction, which also marks the attempt for the item-analysis counters: the worker adds it
to them shortly after, exactly once (item_analysis/counters.py); follow-up work
(certificates, the counters) goes through the outbox.

An attempt is one row: its paper (drawn in memory from the quiz version's cached material,
papers.py) and its answers are compact columns, so starting writes one row, a batch of
answers updates it, and submitting scores it, whatever the number of questions.
"""

import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.days import day_start, local_day
from kepu.memo import ExpiringMemo
from kepu.refusals import Refusal
from outbox import services as outbox

from . import papers, rows
from .answer_batches import AnswerIn, Batch
from .item_analysis import counters
from .models import AnswerBatch, LeaderboardEntry, Question, Quiz, QuizAttempt
from .papers import Option, ShownQuestion, option_token, shown_questions  # noqa: F401

CERTIFICATE_TARGET = "quizzes.issue_certificate"


class QuizError(Refusal):
    """A refusal with a message for the participant; nothing was changed."""


class QuizNotOpen(QuizError):
    message = _("This quiz is not open now.")


class AttemptLimitReached(QuizError):
    message = _("You have used all your attempts for now.")


class AttemptFinished(QuizError):
    message = _("This attempt has already been submitted.")


class DeadlinePassed(QuizError):
    message = _("Time is up: answers saved after the deadline do not count.")


class InvalidAnswer(QuizError):
    message = _("That answer is not one of this question's options.")


class NotEnoughQuestions(QuizError):
    message = papers.NotEnoughQuestions.message


class OtherDevice(QuizError):
    message = _(
        "This attempt is now open on another phone or browser. Continue there; answers from "
        "here are no longer saved."
    )


class AttemptNotFound(QuizError):
    message = _("This quiz attempt does not exist or is not yours.")


class AccountBlocked(QuizError):
    message = _(
        "This account can no longer take part: it was deactivated or is waiting for a "
        "guardian's consent. Answers are no longer saved."
    )
    code = "account_blocked"


def participant_key(user=None, anonymous_id: str = "") -> str:
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    if not anonymous_id:
        raise ValueError("an anonymous participant needs an id")
    return f"a:{anonymous_id}"


# --- starting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Allowance:
    """Where a participant stands against a quiz's limits at one moment."""

    used_today: int
    used_total: int
    # The participant's unfinished attempt (may have passed its deadline: starting ends it).
    open_attempt_id: int | None
    # "" may start; "daily": today's attempts are used; "total": every attempt is used.
    used_up: str
    # When the daily limit lifts (the next quiz day's midnight), if the quiz is still open then.
    next_start: datetime | None


def next_quiz_day_start(moment: datetime) -> datetime:
    """The first instant of the quiz day after `moment` (the next local midnight)."""
    return day_start(local_day(moment) + timedelta(days=1))


def allowance(quiz: Quiz, key: str, now: datetime | None = None) -> Allowance:
    """The participant's attempts today and overall, their open attempt, and whether (and
    from when) a new attempt is allowed. One query. `start_attempt` applies the same rules."""
    now = now or timezone.now()
    day = QuizAttempt._meta.get_field("day").get_db_prep_value(local_day(now), connection)
    with connection.cursor() as cursor:
        # The index of the participant's attempt numbers (quiz, participant_key, ...) finds
        # the rows; written out, this statement costs a fraction of the ORM's aggregate.
        cursor.execute(
            "SELECT COUNT(*), COUNT(CASE WHEN day = %s THEN 1 END), "  # noqa: S608
            "MAX(CASE WHEN status = %s THEN id END) "
            f"FROM {QuizAttempt._meta.db_table} "
            "WHERE quiz_id = %s AND participant_key = %s",
            [day, QuizAttempt.Status.IN_PROGRESS.value, quiz.pk, key],
        )
        total, today, open_id = cursor.fetchone()
    used_up = ""
    if quiz.attempts_total and total >= quiz.attempts_total:
        used_up = "total"
    elif quiz.attempts_per_day and today >= quiz.attempts_per_day:
        used_up = "daily"
    next_start = None
    if used_up == "daily":
        tomorrow = next_quiz_day_start(now)
        next_start = tomorrow if tomorrow < quiz.closes_at else None
    return Allowance(today, total, open_id, used_up, next_start)


def start_attempt(
    quiz: Quiz,
    *,
    key: str,
    user=None,
    unit=None,
    device: str = "",
    now: datetime | None = None,
) -> QuizAttempt:
    """Returns the participant's open attempt, or starts a new one within the limits.

    Guarantees: at most one open attempt per participant and quiz, at most
    `attempts_per_day` per quiz day and `attempts_total` overall, even when two tabs start
    at the same moment (unique constraints; the loser gets the winner's attempt or a
    limit message). The paper is drawn in memory from the quiz version's material and the
    attempt is one INSERT: two reads and one write whatever the size of bank or paper.
    """
    now = now or timezone.now()
    if not quiz.is_open(now):
        raise QuizNotOpen
    day = local_day(now)
    mine = allowance(quiz, key, now)
    if mine.open_attempt_id is not None:
        open_attempt = QuizAttempt.objects.get(pk=mine.open_attempt_id)
        open_attempt.quiz = quiz  # in hand: no join
        if open_attempt.deadline > now:
            return bind_device(open_attempt, device)
        finalize(open_attempt.pk, now=now)
    if mine.used_up == "total":
        raise AttemptLimitReached(_("You have used all the attempts of this quiz."))
    if mine.used_up == "daily":
        raise AttemptLimitReached(_("You have used today's attempts. Come back tomorrow."))
    try:
        # Unpredictable draws: nobody can foresee which questions an attempt gets.
        paper = papers.draw_paper(papers.material_for(quiz), quiz, secrets.SystemRandom())
    except papers.NotEnoughQuestions:
        raise NotEnoughQuestions from None
    grace = timedelta(seconds=settings.KEPU_QUIZ_GRACE_SECONDS)
    try:
        # One statement, atomic on its own: no transaction around it.
        return rows.insert(
            QuizAttempt(
                quiz=quiz,
                user=user if user is not None and user.is_authenticated else None,
                participant_key=key,
                unit=unit,
                day=day,
                day_number=mine.used_today + 1,
                total_number=mine.used_total + 1,
                started_at=now,
                deadline=now + quiz.time_limit + grace,
                max_score=len(paper),
                paper=paper,
                answers=[None] * len(paper),
                device=device if quiz.one_device else "",
            )
        )
    except IntegrityError:
        # Another request of the same participant won the race.
        winner = (
            QuizAttempt.objects.select_related("quiz")
            .filter(quiz=quiz, participant_key=key, status="in_progress")
            .first()
        )
        if winner is not None:
            return winner
        raise AttemptLimitReached from None


def bind_device(attempt: QuizAttempt, device: str) -> QuizAttempt:
    """For quizzes taken on one device at a time: the attempt moves to `device` (the phone
    or browser that opened it last); the move is counted for the organisers."""
    if not attempt.quiz.one_device or not device or attempt.device == device:
        return attempt
    moved = attempt.device != ""
    QuizAttempt.objects.filter(pk=attempt.pk, status=QuizAttempt.Status.IN_PROGRESS).update(
        device=device, device_switches=F("device_switches") + int(moved)
    )
    attempt.device = device
    attempt.device_switches += int(moved)
    return attempt


# --- reading an attempt -------------------------------------------------------------------


def may_review(attempt: QuizAttempt, now: datetime | None = None) -> bool:
    """Whether the right answers and explanations of `attempt` may be shown now."""
    if not attempt.is_finished:
        return False
    policy = attempt.quiz.review_policy
    if policy == Quiz.ReviewPolicy.IMMEDIATELY:
        return True
    if policy == Quiz.ReviewPolicy.AFTER_CLOSE:
        return (now or timezone.now()) >= attempt.quiz.closes_at
    return False


def seconds_left(attempt: QuizAttempt, now: datetime | None = None) -> int:
    """Seconds until the participant's clock runs out (the grace period is not shown)."""
    now = now or timezone.now()
    ends = attempt.started_at + attempt.quiz.time_limit
    return max(0, int((ends - now).total_seconds()))


def sequences(attempt: QuizAttempt) -> dict[int, int]:
    """The client sequence the attempt holds per answered position."""
    return {
        position: answer[0]
        for position, answer in enumerate(attempt.answers, start=1)
        if answer is not None
    }


# --- saving answers -----------------------------------------------------------------------


@dataclass(frozen=True)
class SaveResult:
    saved_at: datetime
    replayed: bool
    # The sequence the attempt now holds for each position the batch carried: an answer the
    # client sent with sequence s is safe on the server when this is at least s.
    sequences: dict[int, int]
    page_leaves: int
    # The batch finished the attempt (too many leaves of the page).
    finished: bool = False


def save_answers(
    public_id: UUID,
    *,
    key: str,
    batch: Batch,
    device: str = "",
    now: datetime | None = None,
) -> SaveResult:
    """Applies a batch of answers to the participant's attempt, in one short transaction.

    Guarantees: idempotent on `batch.token` (a replay returns what the attempt holds and
    changes nothing), and after submission on content too: a late batch that would change
    nothing (the submit carried its answers: a save still on its way, a beacon) is answered
    like a replay, `finished`; an answer replaces the stored one only if its client sequence is
    higher, so a late or out-of-order batch never overwrites a newer answer; refused,
    changing nothing, after submission, after the deadline, from another device when the
    quiz allows only one, or when an option is not one of the question's (InvalidAnswer).
    The reported number of page leaves only grows; reaching the quiz's limit submits the
    attempt in the same transaction. AttemptNotFound if the attempt is not the
    participant's; AccountBlocked if the attempt's account was deactivated or is waiting
    for a guardian's consent since the attempt began (the lean path reads no session, so
    this is where it learns). Costs: lock the row (with its account), insert the batch,
    update the row.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(public_id=public_id, participant_key=key)
        _check_account(attempt)
        try:
            _check_open(attempt, now, device)
            incoming = _resolve(attempt, batch.answers)
        except QuizError:
            replay = _replay(attempt, batch.token) or _held_already(attempt, batch, now)
            if replay is not None:
                return replay
            raise
        answers, incoming, applied = _merged(attempt, incoming)
        if not _insert_batch(batch.token, attempt, now, incoming, applied):
            replay = _replay(attempt, batch.token)
            if replay is None:
                raise InvalidAnswer
            return replay
        attempt.answers = answers
        if attempt.quiz.count_page_leaves and batch.leaves is not None:
            attempt.page_leaves = max(attempt.page_leaves, batch.leaves)
        attempt.last_saved_at = now
        limit = attempt.quiz.max_page_leaves if attempt.quiz.count_page_leaves else 0
        finished = bool(limit and attempt.page_leaves >= limit)
        if finished:
            _score(
                attempt,
                now=now,
                status=QuizAttempt.Status.SUBMITTED,
                auto_submitted=QuizAttempt.AutoSubmit.PAGE_LEAVES,
            )
        else:
            rows.save_fields(attempt, ["answers", "last_saved_at", "page_leaves"])
    return SaveResult(
        saved_at=now,
        replayed=False,
        sequences={position: attempt.answers[position - 1][0] for position, _s, _c in incoming},
        page_leaves=attempt.page_leaves,
        finished=finished,
    )


def save_answer(
    attempt: QuizAttempt,
    *,
    position: int,
    tokens: list[str],
    client_token: UUID,
    now: datetime | None = None,
) -> SaveResult:
    """Records one question's choice as the newest answer (the form post of the
    one-question-per-screen flow without JavaScript); see `save_answers`."""
    if not tokens:
        raise InvalidAnswer
    batch = Batch(
        token=client_token,
        answers=(AnswerIn(position=position, sequence=None, tokens=tuple(tokens)),),
    )
    return save_answers(attempt.public_id, key=attempt.participant_key, batch=batch, now=now)


def _locked(**lookup) -> QuizAttempt:
    """The attempt, its row locked, with its quiz and account (rows.locked_attempt)."""
    attempt = rows.locked_attempt(**lookup)
    if attempt is None:
        raise AttemptNotFound
    return attempt


def _check_account(attempt: QuizAttempt) -> None:
    """AccountBlocked if the attempt's account may no longer take part (read with the locked
    attempt, so it holds whichever path the request took): deactivated, or an under-14
    account whose guardian's consent is pending or was refused (accounts.middleware keeps
    such an account on the consent pages on the full path)."""
    user = attempt.user if attempt.user_id else None
    if user is None:
        return
    if not user.is_active or (not user.is_staff and user.is_waiting_for_guardian):
        raise AccountBlocked


def _check_open(attempt: QuizAttempt, now: datetime, device: str) -> None:
    if attempt.is_finished:
        raise AttemptFinished
    if now > attempt.deadline:
        raise DeadlinePassed
    if attempt.quiz.one_device and device and attempt.device and device != attempt.device:
        raise OtherDevice


def _resolve(attempt: QuizAttempt, answers) -> list[tuple[int, int | None, list[int]]]:
    """(position, sequence, choice ids) for each answer; InvalidAnswer for a token that is
    not one of its question's options, or several for a single-choice question."""
    resolved = []
    material = None
    token_of = papers.option_tokens(attempt)
    for answer in answers:
        if not 0 < answer.position <= len(attempt.paper):
            raise InvalidAnswer(_("This question is not part of your attempt."))
        question_id, order = attempt.paper[answer.position - 1]
        by_token = {token_of(choice_id): choice_id for choice_id in order}
        if any(token not in by_token for token in answer.tokens):
            raise InvalidAnswer
        selected = sorted({by_token[token] for token in answer.tokens})
        if len(selected) > 1:
            material = material or papers.material_for(attempt.quiz)
            question = papers.question_of(material, question_id)
            if question is None or question.kind != Question.Kind.MULTIPLE:
                raise InvalidAnswer(_("Choose exactly one option for this question."))
        resolved.append((answer.position, answer.sequence, selected))
    return resolved


def _merged(attempt: QuizAttempt, incoming) -> tuple[list, list, int]:
    """The attempt's answers with those of `incoming` that are newer than the stored ones,
    `incoming` with the sequences it was given (an answer without one, a form post, becomes
    the newest), and how many were applied. The attempt itself is not changed."""
    answers = list(attempt.answers) + [None] * (len(attempt.paper) - len(attempt.answers))
    newest = max((answer[0] for answer in answers if answer), default=0)
    numbered = []
    applied = 0
    for position, sequence, selected in incoming:
        if sequence is None:
            newest += 1
            sequence = newest
        numbered.append((position, sequence, selected))
        current = answers[position - 1]
        if current is None or sequence > current[0]:
            answers[position - 1] = [sequence, selected]
            applied += 1
    return answers, numbered, applied


def _insert_batch(token: UUID, attempt: QuizAttempt, now: datetime, incoming, applied) -> bool:
    """Records the batch unless its token is known; True if it was new (one statement)."""
    table = AnswerBatch._meta.db_table
    fields = {f.name: f for f in AnswerBatch._meta.concrete_fields}
    values = [
        fields["token"].get_db_prep_save(token, connection),
        attempt.pk,
        fields["received_at"].get_db_prep_save(now, connection),
        fields["answers"].get_db_prep_save([list(row) for row in incoming], connection),
        applied,
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (token, attempt_id, received_at, answers, applied) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (token) DO NOTHING RETURNING id",
            values,
        )
        return cursor.fetchone() is not None


def _held_already(attempt: QuizAttempt, batch: Batch, now: datetime) -> SaveResult | None:
    """For a submitted attempt, a replay-like result if `batch` would change nothing: every
    answer it carries is the one stored, and it reports no more page leaves than stored."""
    if not attempt.is_finished:
        return None
    try:
        incoming = _resolve(attempt, batch.answers)
    except QuizError:
        return None
    stored = list(attempt.answers) + [None] * (len(attempt.paper) - len(attempt.answers))
    if any(not stored[p - 1] or stored[p - 1][1] != chosen for p, _s, chosen in incoming):
        return None
    if (batch.leaves or 0) > attempt.page_leaves:
        return None
    return SaveResult(
        saved_at=now,
        replayed=True,
        sequences=sequences(attempt),
        page_leaves=attempt.page_leaves,
        finished=True,
    )


def _replay(attempt: QuizAttempt, token: UUID) -> SaveResult | None:
    """What an earlier batch with `token` left, if there was one; InvalidAnswer if that
    batch belonged to another attempt."""
    previous = AnswerBatch.objects.filter(token=token).only("attempt_id", "received_at").first()
    if previous is None:
        return None
    if previous.attempt_id != attempt.pk:
        raise InvalidAnswer
    return SaveResult(
        saved_at=previous.received_at,
        replayed=True,
        sequences=sequences(attempt),
        page_leaves=attempt.page_leaves,
        finished=attempt.is_finished,
    )


# --- submitting ---------------------------------------------------------------------------


def submit_attempt(
    attempt: QuizAttempt,
    *,
    client_token: UUID,
    batch: Batch | None = None,
    auto_submitted: str = "",
    device: str = "",
    now: datetime | None = None,
) -> QuizAttempt:
    """See `submit`; for callers that hold the attempt."""
    return submit(
        attempt.public_id,
        key=attempt.participant_key,
        client_token=client_token,
        batch=batch,
        auto_submitted=auto_submitted,
        device=device,
        now=now,
    )


def submit(
    public_id: UUID,
    *,
    key: str,
    client_token: UUID,
    batch: Batch | None = None,
    auto_submitted: str = "",
    device: str = "",
    now: datetime | None = None,
) -> QuizAttempt:
    """Applies the answers not yet saved (`batch`), then finalises the attempt once, in one
    transaction, and returns it with its score.

    Idempotent: a second submit (double tap, retry after a lost response, another tab)
    returns the already finished attempt unchanged. Answers count only if received before
    the deadline; a submit after the deadline finalises with the answers saved in time.
    `auto_submitted` records why the browser submitted on its own (idle, page leaves) when
    the quiz has that rule. From a device the attempt moved away from: OtherDevice; not the
    participant's attempt: AttemptNotFound; from an account deactivated or waiting for a
    guardian's consent since: AccountBlocked (the attempt is left for the deadline, when it
    is scored with the answers saved before).
    """
    return _finalize(
        {"public_id": public_id, "participant_key": key},
        now=now or timezone.now(),
        status=None,
        client_token=client_token,
        batch=batch,
        auto_submitted=auto_submitted,
        device=device,
    )


def finalize(attempt_id: int, *, now: datetime | None = None) -> QuizAttempt:
    """Scores and closes an attempt whose time ran out (or that is abandoned) with the
    answers saved in time; a finished one is returned as is."""
    return _finalize(
        {"pk": attempt_id}, now=now or timezone.now(), status=QuizAttempt.Status.EXPIRED
    )


def _finalize(
    lookup: dict,
    *,
    now: datetime,
    status: str | None,
    client_token: UUID | None = None,
    batch: Batch | None = None,
    auto_submitted: str = "",
    device: str = "",
) -> QuizAttempt:
    """Scores and closes an attempt inside one transaction; a finished one is returned as is.

    `status` None: submitted if in time, else expired. With `batch`, its answers are applied
    first if they arrived in time. The verdicts, the score, the leaderboard, the attempt's
    mark for the item-analysis counters with the outbox message that has the worker count it,
    and (for a pass) the certificate's outbox message are written in the same transaction, so
    each finished attempt is counted exactly once.
    """
    with transaction.atomic():
        # With its account: the result page shows who took it (no session needed on the
        # lean path, views.lean_submit).
        attempt = _locked(**lookup)
        if status is None:  # the participant's submit, not the clock's
            _check_account(attempt)
        if attempt.is_finished:
            return attempt
        if status is None:
            in_time = now <= attempt.deadline
            status = QuizAttempt.Status.SUBMITTED if in_time else QuizAttempt.Status.EXPIRED
        if attempt.quiz.one_device and device and attempt.device and device != attempt.device:
            raise OtherDevice
        if batch is not None and now <= attempt.deadline:
            incoming = _resolve(attempt, batch.answers)
            if incoming:
                answers, incoming, applied = _merged(attempt, incoming)
                # A replayed batch was applied when it first came: keep what was saved.
                if _insert_batch(batch.token, attempt, now, incoming, applied):
                    attempt.answers = answers
                    attempt.last_saved_at = now
            if attempt.quiz.count_page_leaves and batch.leaves is not None:
                attempt.page_leaves = max(attempt.page_leaves, batch.leaves)
        allowed = _auto_submit_rules(attempt.quiz)
        _score(
            attempt,
            now=now,
            status=status,
            client_token=client_token,
            auto_submitted=auto_submitted if auto_submitted in allowed else "",
        )
    return attempt


def _auto_submit_rules(quiz: Quiz) -> set[str]:
    rules = set()
    if quiz.count_page_leaves and quiz.max_page_leaves:
        rules.add(QuizAttempt.AutoSubmit.PAGE_LEAVES)
    if quiz.idle_timeout_seconds:
        rules.add(QuizAttempt.AutoSubmit.IDLE)
    return rules


def _score(
    attempt: QuizAttempt,
    *,
    now: datetime,
    status: str,
    client_token: UUID | None = None,
    auto_submitted: str = "",
) -> None:
    """Scores `attempt` (locked, in the caller's transaction) from its saved answers and
    writes it with the leaderboard, the certificate's message and the item counters' mark
    and message."""
    quiz = attempt.quiz
    material = papers.material_for(quiz)
    verdicts = []
    for position, (question_id, _order) in enumerate(attempt.paper, start=1):
        selected = set(attempt.selected(position))
        question = papers.question_of(material, question_id)
        if not selected:
            verdicts.append("-")
        elif question is not None and selected == question.correct:
            verdicts.append("1")
        else:
            verdicts.append("0")
    ended = min(now, attempt.started_at + quiz.time_limit)
    attempt.status = status
    attempt.submitted_at = now
    attempt.submit_token = client_token
    attempt.verdicts = "".join(verdicts)
    attempt.score = attempt.verdicts.count("1")
    attempt.duration_ms = max(0, int((ended - attempt.started_at).total_seconds() * 1000))
    attempt.flagged_fast = attempt.duration_ms < (
        quiz.min_seconds_per_question * len(attempt.paper) * 1000
    )
    attempt.auto_submitted = auto_submitted
    # The worker adds it to the item-analysis counters (once: it clears the mark as it counts).
    attempt.items_pending = True
    rows.save_fields(
        attempt,
        [
            "status",
            "submitted_at",
            "submit_token",
            "score",
            "duration_ms",
            "flagged_fast",
            "verdicts",
            "answers",
            "last_saved_at",
            "page_leaves",
            "auto_submitted",
            "items_pending",
        ],
    )
    # The participant's best entry as this transaction leaves it (the result page's rank).
    attempt.leaderboard_entry = _update_leaderboard(attempt)
    if attempt.percent >= quiz.pass_mark:
        outbox.enqueue(CERTIFICATE_TARGET, attempt.pk)
    # Last, just before the commit: see counters.schedule.
    counters.schedule(quiz.pk)


def _update_leaderboard(attempt: QuizAttempt) -> LeaderboardEntry:
    """Makes `attempt` the participant's leaderboard entry if it is their best (higher score,
    then less time); returns the entry that is their best now.

    One upsert that only overwrites a worse entry (the unique constraint's row lock orders
    concurrent submits of one participant); a second statement reads the kept entry only
    when the attempt was not better.
    """
    table = LeaderboardEntry._meta.db_table
    achieved = LeaderboardEntry._meta.get_field("achieved_at")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} AS entry "  # noqa: S608
            "(quiz_id, participant_key, user_id, attempt_id, score, duration_ms, achieved_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (quiz_id, participant_key) DO UPDATE SET "
            "attempt_id = excluded.attempt_id, score = excluded.score, "
            "duration_ms = excluded.duration_ms, achieved_at = excluded.achieved_at "
            "WHERE excluded.score > entry.score OR "
            "(excluded.score = entry.score AND excluded.duration_ms < entry.duration_ms) "
            "RETURNING id, user_id",
            [
                attempt.quiz_id,
                attempt.participant_key,
                attempt.user_id,
                attempt.pk,
                attempt.score,
                attempt.duration_ms,
                achieved.get_db_prep_save(attempt.submitted_at, connection),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return LeaderboardEntry.objects.get(
            quiz_id=attempt.quiz_id, participant_key=attempt.participant_key
        )
    return LeaderboardEntry(
        pk=row[0],
        quiz_id=attempt.quiz_id,
        participant_key=attempt.participant_key,
        user_id=row[1],
        attempt_id=attempt.pk,
        score=attempt.score,
        duration_ms=attempt.duration_ms,
        achieved_at=attempt.submitted_at,
    )


def finalize_expired(now: datetime | None = None, limit: int = 500) -> int:
    """Finalises attempts left open past their deadline with the answers saved in time."""
    now = now or timezone.now()
    ids = list(
        QuizAttempt.objects.filter(status=QuizAttempt.Status.IN_PROGRESS, deadline__lt=now)
        .order_by("deadline")
        .values_list("pk", flat=True)[:limit]
    )
    for attempt_id in ids:
        finalize(attempt_id, now=now)
    return len(ids)


# --- ranking ------------------------------------------------------------------------------


def top(quiz: Quiz, limit: int = 50) -> list[LeaderboardEntry]:
    return list(
        LeaderboardEntry.objects.filter(quiz=quiz)
        .select_related("user", "attempt__unit")
        .order_by("-score", "duration_ms", "achieved_at", "pk")[:limit]
    )


def entries_by_score(quiz_id: int) -> dict[int, int]:
    """How many leaderboard entries the quiz has at each score.

    Up to KEPU_QUIZ_RANK_CACHE_SECONDS old: the count over the whole leaderboard costs tens
    of milliseconds at 150,000 entries, too much for every result page of a campaign. One
    process counts and shares the counts through the cache with the moment they were made;
    every process keeps that copy until it is too old, so a result page usually reads them
    from neither PostgreSQL nor Redis.
    """
    seconds = settings.KEPU_QUIZ_RANK_CACHE_SECONDS
    if seconds <= 0:
        return _count_by_score(quiz_id)
    counts = _SCORE_COUNTS.get(quiz_id)
    if counts is not None:
        return counts
    key = f"quizzes:rank:scores:{quiz_id}"
    now = time.time()
    shared = cache.get(key)
    if not (isinstance(shared, tuple) and now - seconds < shared[0]):
        shared = (now, _count_by_score(quiz_id))
        cache.set(key, shared, seconds)
    # Counted on a host whose clock runs ahead: kept no longer than from now (so the counts
    # are at most the hosts' clock skew older than the setting allows).
    _SCORE_COUNTS.put(quiz_id, shared[1], until=min(shared[0], now) + seconds)
    return shared[1]


_SCORE_COUNTS = ExpiringMemo()


def _count_by_score(quiz_id: int) -> dict[int, int]:
    return dict(
        LeaderboardEntry.objects.filter(quiz_id=quiz_id)
        .values("score")
        .annotate(entries=Count("pk"))
        .values_list("score", "entries")
    )


def rank_of(entry: LeaderboardEntry) -> int:
    """1 + the number of participants ahead (higher score, then less time, then earlier).

    Those with the same score are counted exactly (one index range of leaderboard_rank);
    those with a higher score come from `entries_by_score()`, so they may be up to
    KEPU_QUIZ_RANK_CACHE_SECONDS old (0: always exact).
    """
    higher = sum(
        entries for score, entries in entries_by_score(entry.quiz_id).items() if score > entry.score
    )
    achieved = LeaderboardEntry._meta.get_field("achieved_at")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {LeaderboardEntry._meta.db_table} "  # noqa: S608
            "WHERE quiz_id = %s AND score = %s "
            "AND (duration_ms < %s OR (duration_ms = %s AND achieved_at < %s))",
            [
                entry.quiz_id,
                entry.score,
                entry.duration_ms,
                entry.duration_ms,
                achieved.get_db_prep_value(entry.achieved_at, connection),
            ],
        )
        (same_ahead,) = cursor.fetchone()
    return higher + same_ahead + 1


def my_entry(quiz: Quiz, key: str) -> LeaderboardEntry | None:
    return LeaderboardEntry.objects.filter(quiz=quiz, participant_key=key).first()
