"""Live statistics of a quiz for its organisers: read-only queries, aggregated in the database.

Every function runs a fixed number of queries whatever the number of attempts (a city quiz
has 160,000+, a national one millions): counting, grouping and averaging happen in SQL, and
Python only shapes the few aggregated rows (at most one per day, hour, score, question or
unit). Distinct people are never counted with `COUNT(DISTINCT …)`, which sorts every attempt
(~0.4 s at 200,000 on PostgreSQL, once per figure): an attempt's numbers say whether it is its
participant's first of the quiz (`total_number` 1) or of its day (`day_number` 1): the start
service numbers each attempt after the participant's earlier ones, and unique constraints keep
every number single even when two starts race (attempts.start_attempt); per unit, where no
number says it, the (unit, participant) pairs are grouped along their index.
Days and hours are those of Asia/Shanghai: an attempt's `day` is its quiz day, and hours are
truncated in that zone. Scores, pass rates and question difficulty count finished
attempts only (submitted, or finished when time ran out).

The admin view caches the results briefly (competitions/quizzes/statistics/viewsets.py); these
functions never cache.
"""

import datetime
from dataclasses import dataclass

from django.db import connections
from django.db.models import Avg, Count, F, Max, Q, QuerySet
from django.db.models.functions import TruncHour

from kepu.days import local_zone

from ..models import Quiz, QuizAttempt

FINISHED = (QuizAttempt.Status.SUBMITTED, QuizAttempt.Status.EXPIRED)
IS_FINISHED = Q(status__in=FINISHED)


@dataclass(frozen=True)
class Summary:
    attempts: int
    finished: int
    participants: int
    average_score: float | None
    passed: int
    flagged_fast: int
    # Fair play: finished attempts that left the page at least once, that were submitted
    # automatically (too many leaves, idle), and that moved to another device.
    left_page: int = 0
    auto_submitted: int = 0
    moved_device: int = 0

    @property
    def pass_rate(self) -> float | None:
        """Share of finished attempts at or above the pass mark (None before any finished)."""
        return self.passed / self.finished if self.finished else None


def attempts_of(quiz: Quiz) -> QuerySet[QuizAttempt]:
    return QuizAttempt.objects.filter(quiz=quiz)


def finished_attempts(quiz: Quiz) -> QuerySet[QuizAttempt]:
    return attempts_of(quiz).filter(IS_FINISHED)


def summary(quiz: Quiz) -> Summary:
    """Attempts, finished attempts, participants (people with at least one attempt), average
    score, pass count, fast-flagged count and the fair-play counts, in one query.

    An attempt passes when score / max_score reaches the quiz's pass mark (a percentage),
    compared in integers so 3/5 passes a 60 % mark exactly.
    """
    totals = (
        attempts_of(quiz)
        .annotate(score_x100=F("score") * 100, needed_x100=F("max_score") * quiz.pass_mark)
        .aggregate(
            attempts=Count("id"),
            finished=Count("id", filter=IS_FINISHED),
            participants=Count("id", filter=Q(total_number=1)),
            average_score=Avg("score", filter=IS_FINISHED),
            passed=Count("id", filter=IS_FINISHED & Q(score_x100__gte=F("needed_x100"))),
            flagged_fast=Count("id", filter=IS_FINISHED & Q(flagged_fast=True)),
            left_page=Count("id", filter=IS_FINISHED & Q(page_leaves__gt=0)),
            auto_submitted=Count("id", filter=IS_FINISHED & ~Q(auto_submitted="")),
            moved_device=Count("id", filter=IS_FINISHED & Q(device_switches__gt=0)),
        )
    )
    average = totals["average_score"]
    return Summary(**{**totals, "average_score": float(average) if average is not None else None})


def participations_by_day(quiz: Quiz) -> list[dict]:
    """Per quiz day (Asia/Shanghai) with at least one attempt, oldest first:
    ``{"day": date, "attempts": n, "participants": distinct people that day}``.
    """
    return list(
        attempts_of(quiz)
        .values("day")
        .annotate(attempts=Count("id"), participants=Count("id", filter=Q(day_number=1)))
        .order_by("day")
    )


def participations_by_hour(quiz: Quiz, day: datetime.date) -> list[dict]:
    """Attempts started in each hour (0–23, Asia/Shanghai) of quiz day `day`, all 24 hours.

    ``{"hour": 0..23, "attempts": n}``; hours without attempts count 0.
    """
    rows = (
        attempts_of(quiz)
        .filter(day=day)
        .annotate(hour=TruncHour("started_at", tzinfo=local_zone()))
        .values("hour")
        .annotate(attempts=Count("id"))
        .order_by()
    )
    counts = {row["hour"].astimezone(local_zone()).hour: row["attempts"] for row in rows}
    return [{"hour": hour, "attempts": counts.get(hour, 0)} for hour in range(24)]


@dataclass(frozen=True)
class Scores:
    """Finished attempts per score, and the highest possible score among them."""

    histogram: dict[int, int]
    top: int


def scores(quiz: Quiz) -> Scores:
    """The score histogram and the highest `max_score` of finished attempts, in one query."""
    rows = list(
        finished_attempts(quiz)
        .values("score")
        .annotate(n=Count("id"), top=Max("max_score"))
        .order_by()
        .values_list("score", "n", "top")
    )
    return Scores(
        histogram={score: n for score, n, _ in rows}, top=max((top for *_, top in rows), default=0)
    )


def score_distribution(quiz: Quiz, of: Scores | None = None) -> list[dict]:
    """Finished attempts per score, for every score from 0 to the highest possible one.

    ``{"score": s, "attempts": n}``; the highest possible score is the largest `max_score` of
    the quiz's finished attempts (an empty list before any attempt finished).
    """
    of = scores(quiz) if of is None else of
    if not of.histogram:
        return []
    top = max(of.top, *of.histogram)
    return [{"score": score, "attempts": of.histogram.get(score, 0)} for score in range(top + 1)]


def score_histogram(quiz: Quiz) -> dict[int, int]:
    """{score: finished attempts with that score} (one grouped query)."""
    return scores(quiz).histogram


def by_unit(quiz: Quiz) -> list[dict]:
    """Per organising unit (None for attempts without one): distinct participants, attempts,
    finished attempts and their average score; most participants first, then most attempts,
    then by name. Two queries.

    ``{"unit_id", "unit_name", "participants", "attempts", "finished", "average_score"}``.
    """
    attempts = attempts_of(quiz)
    people = _participants_per_unit(attempts)
    rows = list(
        attempts.values("unit_id", "unit__name")
        .annotate(
            attempts=Count("id"),
            finished=Count("id", filter=IS_FINISHED),
            average_score=Avg("score", filter=IS_FINISHED),
        )
        .order_by()
    )
    for row in rows:
        row["unit_name"] = row.pop("unit__name")
        row["participants"] = people.get(row["unit_id"], 0)
        if row["average_score"] is not None:
            row["average_score"] = float(row["average_score"])
    rows.sort(
        key=lambda row: (
            -row["participants"],
            -row["attempts"],
            row["unit_name"] is None,
            row["unit_name"] or "",
            row["unit_id"] or 0,
        )
    )
    return rows


def unit_ranking(quiz: Quiz, limit: int = 20, units: list[dict] | None = None) -> list[dict]:
    """Units by number of distinct participants (for 优秀组织单位 awards), at most `limit`.

    Attempts without a unit are left out. Units with as many participants share a rank
    (1, 2, 2, 4); among them the order is by attempts, then name. Rows are those of
    `by_unit` (pass them as `units` when already read) with a "rank" added.
    """
    rows = [dict(row) for row in (by_unit(quiz) if units is None else units) if row["unit_id"]]
    previous = rank = None
    for position, row in enumerate(rows[:limit], start=1):
        if row["participants"] != previous:
            rank, previous = position, row["participants"]
        row["rank"] = rank
    return rows[:limit]


def _participants_per_unit(attempts: QuerySet[QuizAttempt]) -> dict[int | None, int]:
    """{unit id: distinct participants}: the (unit, participant) pairs grouped, then counted
    per unit. Along the index (quiz, unit, participant_key) this reads no table row, where a
    `COUNT(DISTINCT participant_key)` per unit would sort every attempt."""
    pairs = attempts.values("unit_id", "participant_key").distinct().order_by()
    sql, params = pairs.query.sql_with_params()
    with connections[attempts.db].cursor() as cursor:
        # The inner SQL is Django's own, its values passed apart as parameters.
        query = f"SELECT pairs.unit_id, COUNT(*) FROM ({sql}) pairs GROUP BY 1"  # noqa: S608
        cursor.execute(query, params)
        return dict(cursor.fetchall())
