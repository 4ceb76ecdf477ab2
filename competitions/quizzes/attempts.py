"""Taking a quiz: start an attempt, autosave answers, submit once, score, rank.

What must hold under concurrent requests (daily and total limits, one open attempt, one
submission, one save per client token) is a database constraint; the checks here come first
only to give a friendly message. Scoring happens inside the submit transaction; follow-up
work (certificates) goes through the outbox.
"""

import base64
import hmac
import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outbox import services as outbox

from .models import (
    AnswerSave,
    AttemptQuestion,
    Choice,
    LeaderboardEntry,
    Question,
    Quiz,
    QuizAttempt,
)

CERTIFICATE_TARGET = "competitions.quizzes.certificates.issue_certificate"


class QuizError(Exception):
    """A refusal with a message for the participant; nothing was changed."""

    message = _("This cannot be done.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


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
    message = _("The quiz cannot draw its questions. Please tell the organiser.")


def quiz_day(moment: datetime) -> date:
    """The quiz day of `moment`: days begin at midnight in KEPU_QUIZ_TIME_ZONE."""
    return timezone.localtime(moment, ZoneInfo(settings.KEPU_QUIZ_TIME_ZONE)).date()


def participant_key(user=None, anonymous_id: str = "") -> str:
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    if not anonymous_id:
        raise ValueError("an anonymous participant needs an id")
    return f"a:{anonymous_id}"


# --- drawing questions --------------------------------------------------------------------


def draw_questions(quiz: Quiz, rng: random.Random) -> list[Question]:
    """The questions for one attempt, in display order, drawn on the server.

    A fixed list wins; else the quotas by category and difficulty; else
    `questions_per_attempt` random active questions of the bank.
    """
    active = Question.objects.filter(bank_id=quiz.bank_id, is_active=True)
    fixed = list(quiz.fixed_question_links.values_list("question_id", flat=True))
    if fixed:
        ids = fixed[:]
        rng.shuffle(ids)
    else:
        # Most specific quotas first, so a broad quota ("any 2 hard questions") does not
        # take the questions a narrow one ("3 hard 疫苗 questions") needs.
        rules = sorted(
            quiz.draw_rules.all(),
            key=lambda rule: (rule.category_id is None) + (not rule.difficulty),
        )
        ids = []
        if rules:
            for rule in rules:
                pool = active.exclude(pk__in=ids)
                if rule.category_id:
                    pool = pool.filter(category_id=rule.category_id)
                if rule.difficulty:
                    pool = pool.filter(difficulty=rule.difficulty)
                candidates = list(pool.values_list("pk", flat=True))
                if len(candidates) < rule.count:
                    raise NotEnoughQuestions
                ids += rng.sample(candidates, rule.count)
        else:
            candidates = list(active.values_list("pk", flat=True))
            if len(candidates) < quiz.questions_per_attempt or not candidates:
                raise NotEnoughQuestions
            ids = rng.sample(candidates, quiz.questions_per_attempt)
        rng.shuffle(ids)
    by_id = Question.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def option_token(attempt: QuizAttempt, choice_id: int) -> str:
    """The opaque id of a choice within one attempt (choice ids never reach the browser)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"quiz:{attempt.public_id}:{choice_id}".encode(), "sha256"
    ).digest()
    return base64.b32encode(digest[:10]).decode().lower()


# --- starting -----------------------------------------------------------------------------


def start_attempt(
    quiz: Quiz, *, key: str, user=None, unit=None, now: datetime | None = None
) -> QuizAttempt:
    """Returns the participant's open attempt, or starts a new one within the limits.

    Guarantees: at most one open attempt per participant and quiz, at most
    `attempts_per_day` per quiz day and `attempts_total` overall, even when two tabs start
    at the same moment (unique constraints; the loser gets the winner's attempt or a
    limit message).
    """
    now = now or timezone.now()
    if not quiz.is_open(now):
        raise QuizNotOpen
    open_attempt = (
        QuizAttempt.objects.filter(quiz=quiz, participant_key=key, status="in_progress")
        .order_by("-started_at")
        .first()
    )
    if open_attempt is not None:
        if open_attempt.deadline > now:
            return open_attempt
        finalize(open_attempt.pk, now=now)
    day = quiz_day(now)
    counts = QuizAttempt.objects.filter(quiz=quiz, participant_key=key)
    total = counts.count()
    today = counts.filter(day=day).count()
    if quiz.attempts_per_day and today >= quiz.attempts_per_day:
        raise AttemptLimitReached(_("You have used today's attempts. Come back tomorrow."))
    if quiz.attempts_total and total >= quiz.attempts_total:
        raise AttemptLimitReached(_("You have used all the attempts of this quiz."))
    # Unpredictable draws: nobody can foresee which questions an attempt gets.
    rng = secrets.SystemRandom()
    questions = draw_questions(quiz, rng)
    choices = _choices_by_question([q.pk for q in questions])
    grace = timedelta(seconds=settings.KEPU_QUIZ_GRACE_SECONDS)
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                quiz=quiz,
                user=user if user is not None and user.is_authenticated else None,
                participant_key=key,
                unit=unit,
                day=day,
                day_number=today + 1,
                total_number=total + 1,
                started_at=now,
                deadline=now + quiz.time_limit + grace,
                max_score=len(questions),
            )
            AttemptQuestion.objects.bulk_create(
                AttemptQuestion(
                    attempt=attempt,
                    position=position,
                    question=question,
                    choice_order=rng.sample(choices[question.pk], len(choices[question.pk]))
                    if question.kind != Question.Kind.TRUE_FALSE
                    else choices[question.pk],
                )
                for position, question in enumerate(questions, start=1)
            )
    except IntegrityError:
        # Another request of the same participant won the race.
        winner = QuizAttempt.objects.filter(
            quiz=quiz, participant_key=key, status="in_progress"
        ).first()
        if winner is not None:
            return winner
        raise AttemptLimitReached from None
    return attempt


def _choices_by_question(question_ids: list[int]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {pk: [] for pk in question_ids}
    for question_id, choice_id in (
        Choice.objects.filter(question_id__in=question_ids)
        .order_by("question_id", "sort_order", "pk")
        .values_list("question_id", "pk")
    ):
        result[question_id].append(choice_id)
    return result


# --- reading an attempt -------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    token: str
    text: str
    selected: bool
    # Only filled when the attempt is finished and the quiz's review policy allows it.
    correct: bool | None = None


@dataclass(frozen=True)
class ShownQuestion:
    position: int
    kind: str
    stem: str
    image: object
    options: list[Option]
    answered: bool
    is_correct: bool | None = None
    explanation: str = ""


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


def shown_questions(
    attempt: QuizAttempt, *, review: bool = False, position: int | None = None
) -> list[ShownQuestion]:
    """The attempt's questions as the participant sees them (2 queries, any length).

    Nothing secret is included unless `review` is true, which callers only pass when
    `may_review()` allows it. With `position`, only that question carries its stem and
    options; the others say only whether they were answered (the question screen's map).
    """
    rows = list(
        attempt.questions.select_related("question", "question__image").order_by("position")
    )
    full = [row for row in rows if position is None or row.position == position]
    choices = Choice.objects.in_bulk([pk for row in full for pk in row.choice_order])
    shown = []
    for row in rows:
        if position is not None and row.position != position:
            shown.append(
                ShownQuestion(
                    position=row.position,
                    kind=row.question.kind,
                    stem="",
                    image=None,
                    options=[],
                    answered=bool(row.selected),
                )
            )
            continue
        selected = set(row.selected)
        options = []
        for choice_id in row.choice_order:
            choice = choices.get(choice_id)
            if choice is None:
                continue
            options.append(
                Option(
                    token=option_token(attempt, choice_id),
                    text=choice.text,
                    selected=choice_id in selected,
                    correct=choice.is_correct if review else None,
                )
            )
        shown.append(
            ShownQuestion(
                position=row.position,
                kind=row.question.kind,
                stem=row.question.stem,
                image=row.question.image,
                options=options,
                answered=bool(row.selected),
                is_correct=row.is_correct if review else None,
                explanation=row.question.explanation if review else "",
            )
        )
    return shown


def seconds_left(attempt: QuizAttempt, now: datetime | None = None) -> int:
    """Seconds until the participant's clock runs out (the grace period is not shown)."""
    now = now or timezone.now()
    ends = attempt.started_at + attempt.quiz.time_limit
    return max(0, int((ends - now).total_seconds()))


# --- saving answers -----------------------------------------------------------------------


@dataclass(frozen=True)
class SaveResult:
    position: int
    saved_at: datetime
    replayed: bool


def save_answer(
    attempt: QuizAttempt,
    *,
    position: int,
    tokens: list[str],
    client_token: UUID,
    now: datetime | None = None,
) -> SaveResult:
    """Records the participant's choice for one question (autosave).

    Idempotent on `client_token`: a repeated save returns the first result and changes
    nothing. Refused, changing nothing, after submission or after the deadline, or when a
    token is not one of this question's options (or a single-choice question gets two).

    The common case costs one read and one short transaction: a replay is recognised by the
    unique token when its insert fails (or, on a refusal, by looking the token up), so a
    fresh save does not look for an earlier one first.
    """
    now = now or timezone.now()
    try:
        row, selected = _checked_choice(attempt, position, tokens, now)
    except QuizError:
        replay = _replayed(attempt, client_token)
        if replay is not None:
            return replay
        raise
    try:
        with transaction.atomic():
            # Waits for a concurrent submit of the same attempt, then sees it finished.
            still_open = (
                QuizAttempt.objects.select_for_update()
                .filter(pk=attempt.pk, status=QuizAttempt.Status.IN_PROGRESS)
                .exists()
            )
            if not still_open:
                raise AttemptFinished
            AnswerSave.objects.create(
                token=client_token, attempt_question=row, selected=selected, saved_at=now
            )
            AttemptQuestion.objects.filter(pk=row.pk).update(selected=selected, answered_at=now)
    except AttemptFinished:
        # Submitted meanwhile: a replay of an earlier save still returns its first result.
        replay = _replayed(attempt, client_token)
        if replay is not None:
            return replay
        raise
    except IntegrityError:
        # The token was saved before: a replay, or a concurrent duplicate that won.
        replay = _replayed(attempt, client_token)
        if replay is not None:
            return replay
        raise
    return SaveResult(position, now, False)


def _checked_choice(
    attempt: QuizAttempt, position: int, tokens: list[str], now: datetime
) -> tuple[AttemptQuestion, list[int]]:
    """The attempt's question at `position` and the choice ids `tokens` stand for, or a
    QuizError saying why they cannot be saved now."""
    if attempt.is_finished:
        raise AttemptFinished
    if now > attempt.deadline:
        raise DeadlinePassed
    row = (
        AttemptQuestion.objects.filter(attempt=attempt, position=position)
        .annotate(question_kind=F("question__kind"))
        .first()
    )
    if row is None:
        raise InvalidAnswer(_("This question is not part of your attempt."))
    by_token = {option_token(attempt, choice_id): choice_id for choice_id in row.choice_order}
    if not tokens or any(token not in by_token for token in tokens):
        raise InvalidAnswer
    selected = sorted({by_token[token] for token in tokens})
    if row.question_kind != Question.Kind.MULTIPLE and len(selected) != 1:
        raise InvalidAnswer(_("Choose exactly one option for this question."))
    return row, selected


def _replayed(attempt: QuizAttempt, client_token: UUID) -> SaveResult | None:
    """The first result of an earlier save with `client_token`, if there was one."""
    previous = (
        AnswerSave.objects.filter(token=client_token).select_related("attempt_question").first()
    )
    if previous is None:
        return None
    if previous.attempt_question.attempt_id != attempt.pk:
        raise InvalidAnswer
    return SaveResult(previous.attempt_question.position, previous.saved_at, True)


# --- submitting ---------------------------------------------------------------------------


def submit_attempt(
    attempt: QuizAttempt, *, client_token: UUID, now: datetime | None = None
) -> QuizAttempt:
    """Finalises the attempt once and returns it with its score.

    Idempotent: a second submit (double tap, retry after a lost response, another tab)
    returns the already finished attempt unchanged. Answers count only if saved before the
    deadline; a submit after the deadline finalises with those answers.
    """
    now = now or timezone.now()
    return finalize(
        attempt.pk,
        now=now,
        status=QuizAttempt.Status.SUBMITTED
        if now <= attempt.deadline
        else QuizAttempt.Status.EXPIRED,
        client_token=client_token,
    )


def finalize(
    attempt_id: int,
    *,
    now: datetime | None = None,
    status: str = QuizAttempt.Status.EXPIRED,
    client_token: UUID | None = None,
) -> QuizAttempt:
    """Scores and closes an attempt inside one transaction; a finished one is returned as is."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().select_related("quiz").get(pk=attempt_id)
        if attempt.is_finished:
            return attempt
        quiz = attempt.quiz
        rows = list(attempt.questions.all())
        correct = _correct_choices([row.question_id for row in rows])
        for row in rows:
            row.is_correct = bool(row.selected) and set(row.selected) == correct[row.question_id]
        AttemptQuestion.objects.bulk_update(rows, ["is_correct"])
        ended = min(now, attempt.started_at + quiz.time_limit)
        attempt.status = status
        attempt.submitted_at = now
        attempt.submit_token = client_token
        attempt.score = sum(1 for row in rows if row.is_correct)
        attempt.duration_ms = max(0, int((ended - attempt.started_at).total_seconds() * 1000))
        attempt.flagged_fast = attempt.duration_ms < (
            quiz.min_seconds_per_question * len(rows) * 1000
        )
        attempt.save(
            update_fields=[
                "status",
                "submitted_at",
                "submit_token",
                "score",
                "duration_ms",
                "flagged_fast",
            ]
        )
        _update_leaderboard(attempt)
        if attempt.percent >= quiz.pass_mark:
            outbox.enqueue(CERTIFICATE_TARGET, attempt.pk)
    return attempt


def _correct_choices(question_ids: list[int]) -> dict[int, set[int]]:
    result: dict[int, set[int]] = {pk: set() for pk in question_ids}
    for question_id, choice_id in Choice.objects.filter(
        question_id__in=question_ids, is_correct=True
    ).values_list("question_id", "pk"):
        result[question_id].add(choice_id)
    return result


def _better(score: int, duration_ms: int, than: LeaderboardEntry) -> bool:
    return (score, -duration_ms) > (than.score, -than.duration_ms)


def _update_leaderboard(attempt: QuizAttempt) -> None:
    entry = (
        LeaderboardEntry.objects.select_for_update()
        .filter(quiz_id=attempt.quiz_id, participant_key=attempt.participant_key)
        .first()
    )
    if entry is None:
        LeaderboardEntry.objects.create(
            quiz_id=attempt.quiz_id,
            participant_key=attempt.participant_key,
            user=attempt.user,
            attempt=attempt,
            score=attempt.score,
            duration_ms=attempt.duration_ms,
            achieved_at=attempt.submitted_at,
        )
    elif _better(attempt.score, attempt.duration_ms, entry):
        entry.attempt = attempt
        entry.score = attempt.score
        entry.duration_ms = attempt.duration_ms
        entry.achieved_at = attempt.submitted_at
        entry.save(update_fields=["attempt", "score", "duration_ms", "achieved_at"])


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

    Cached for KEPU_QUIZ_RANK_CACHE_SECONDS: the count over the whole leaderboard costs tens
    of milliseconds at 150,000 entries, too much for every result page of a campaign.
    """
    seconds = settings.KEPU_QUIZ_RANK_CACHE_SECONDS
    key = f"quizzes:rank:scores:{quiz_id}"
    counts = cache.get(key) if seconds > 0 else None
    if counts is None:
        counts = dict(
            LeaderboardEntry.objects.filter(quiz_id=quiz_id)
            .values("score")
            .annotate(entries=Count("pk"))
            .values_list("score", "entries")
        )
        if seconds > 0:
            cache.set(key, counts, seconds)
    return counts


def rank_of(entry: LeaderboardEntry) -> int:
    """1 + the number of participants ahead (higher score, then less time, then earlier).

    Those with the same score are counted exactly (one index range of leaderboard_rank);
    those with a higher score come from `entries_by_score()`, so they may be up to
    KEPU_QUIZ_RANK_CACHE_SECONDS old (0: always exact).
    """
    higher = sum(
        entries for score, entries in entries_by_score(entry.quiz_id).items() if score > entry.score
    )
    same_ahead = LeaderboardEntry.objects.filter(quiz_id=entry.quiz_id, score=entry.score).filter(
        Q(duration_ms__lt=entry.duration_ms)
        | Q(duration_ms=entry.duration_ms, achieved_at__lt=entry.achieved_at)
    )
    return higher + same_ahead.count() + 1


def my_entry(quiz: Quiz, key: str) -> LeaderboardEntry | None:
    return LeaderboardEntry.objects.filter(quiz=quiz, participant_key=key).first()
