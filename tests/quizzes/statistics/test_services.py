import datetime

import pytest

from competitions.quizzes.models import QuizAttempt
from competitions.quizzes.statistics import services as statistics
from tests.factories.quizzes import QuizFactory, UnitFactory
from tests.quizzes.stats_data import attempt_at, beijing

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

DAY_X = datetime.date(2026, 3, 10)
NEXT_DAY = datetime.date(2026, 3, 11)


@pytest.fixture
def quiz():
    return QuizFactory(pass_mark=60)


@pytest.fixture
def units():
    return {
        name: UnitFactory(name=name) for name in ("西湖小学", "求是中学", "文三街道", "空白单位")
    }


@pytest.fixture
def attempts(quiz, units):
    """Seven attempts by six participants over two Beijing days.

    p1 (西湖小学)  day X 09:10 score 5, day X 09:40 score 3
    p2 (西湖小学)  day X 23:30 score 2            (15:30 UTC: still day X in Beijing)
    p3 (求是中学)  day X+1 00:10 score 4, flagged  (16:10 UTC on day X)
    p4 (求是中学)  day X+1 10:00 still in progress
    p5 (no unit)  day X+1 10:30 score 0, finished when time ran out
    p6 (文三街道)  day X+1 11:00 score 5
    """
    school, middle, street = units["西湖小学"], units["求是中学"], units["文三街道"]
    return {
        "p1a": attempt_at(quiz, beijing(2026, 3, 10, 9, 10), score=5, unit=school,
                          participant_key="u:1", day_number=1),
        "p1b": attempt_at(quiz, beijing(2026, 3, 10, 9, 40), score=3, unit=school,
                          participant_key="u:1", day_number=2),
        "p2": attempt_at(quiz, datetime.datetime(2026, 3, 10, 15, 30, tzinfo=datetime.UTC),
                         score=2, unit=school, participant_key="a:p2"),
        "p3": attempt_at(quiz, beijing(2026, 3, 11, 0, 10), score=4, unit=middle,
                         participant_key="a:p3", flagged_fast=True),
        "p4": attempt_at(quiz, beijing(2026, 3, 11, 10, 0), status=QuizAttempt.Status.IN_PROGRESS,
                         unit=middle, participant_key="a:p4"),
        "p5": attempt_at(quiz, beijing(2026, 3, 11, 10, 30), score=0,
                         status=QuizAttempt.Status.EXPIRED, participant_key="a:p5"),
        "p6": attempt_at(quiz, beijing(2026, 3, 11, 11, 0), score=5, unit=street,
                         participant_key="a:p6"),
    }  # fmt: skip


def test_summary_counts_attempts_participants_and_scores_of_finished_attempts(quiz, attempts):
    summary = statistics.summary(quiz)

    assert (summary.attempts, summary.finished, summary.participants) == (7, 6, 6)
    # (5 + 3 + 2 + 4 + 0 + 5) / 6; the attempt in progress has no score yet.
    assert summary.average_score == pytest.approx(19 / 6)
    # 60 % of 5 is 3: the scores 5, 3, 4 and 5 pass.
    assert summary.passed == 4
    assert summary.pass_rate == pytest.approx(4 / 6)
    assert summary.flagged_fast == 1


def test_summary_of_a_quiz_nobody_took(quiz):
    summary = statistics.summary(quiz)

    assert (summary.attempts, summary.finished, summary.participants) == (0, 0, 0)
    assert summary.average_score is None
    assert summary.pass_rate is None


def test_other_quizzes_do_not_count(quiz, attempts):
    other = QuizFactory()
    attempt_at(other, beijing(2026, 3, 10, 9, 0))

    assert statistics.summary(quiz).attempts == 7
    assert statistics.summary(other).attempts == 1


def test_participations_per_day_follow_beijing_days(quiz, attempts):
    assert statistics.participations_by_day(quiz) == [
        # 23:30 Beijing time on day X is 15:30 UTC, and counts for day X.
        {"day": DAY_X, "attempts": 3, "participants": 2},
        # 00:10 Beijing time on day X+1 is still day X in UTC, and counts for day X+1.
        {"day": NEXT_DAY, "attempts": 4, "participants": 4},
    ]


def test_participations_per_hour_are_beijing_hours(quiz, attempts):
    day_x = statistics.participations_by_hour(quiz, DAY_X)
    next_day = statistics.participations_by_hour(quiz, NEXT_DAY)

    assert [row["hour"] for row in day_x] == list(range(24))
    assert {row["hour"]: row["attempts"] for row in day_x if row["attempts"]} == {9: 2, 23: 1}
    assert {row["hour"]: row["attempts"] for row in next_day if row["attempts"]} == {
        0: 1,
        10: 2,
        11: 1,
    }


def test_a_day_without_attempts_has_24_empty_hours(quiz, attempts):
    hours = statistics.participations_by_hour(quiz, datetime.date(2026, 3, 12))

    assert len(hours) == 24 and not any(row["attempts"] for row in hours)


def test_score_distribution_covers_every_score_from_zero_to_full_marks(quiz, attempts):
    assert statistics.score_distribution(quiz) == [
        {"score": 0, "attempts": 1},
        {"score": 1, "attempts": 0},
        {"score": 2, "attempts": 1},
        {"score": 3, "attempts": 1},
        {"score": 4, "attempts": 1},
        {"score": 5, "attempts": 2},
    ]


def test_score_distribution_is_empty_before_anyone_finishes(quiz):
    attempt_at(quiz, beijing(2026, 3, 10, 9), status=QuizAttempt.Status.IN_PROGRESS)

    assert statistics.score_distribution(quiz) == []


def test_the_score_histogram_counts_finished_attempts_per_score(quiz, attempts):
    assert statistics.score_histogram(quiz) == {5: 2, 3: 1, 2: 1, 4: 1, 0: 1}


def test_the_fair_play_counts_are_in_the_summary(quiz):
    attempt_at(quiz, beijing(2026, 3, 10, 9), page_leaves=3, participant_key="a:1")
    attempt_at(quiz, beijing(2026, 3, 10, 9), auto_submitted="idle", participant_key="a:2")
    attempt_at(quiz, beijing(2026, 3, 10, 9), device_switches=1, participant_key="a:3")
    attempt_at(quiz, beijing(2026, 3, 10, 9), participant_key="a:4")

    summary = statistics.summary(quiz)

    assert (summary.left_page, summary.auto_submitted, summary.moved_device) == (1, 1, 1)


def test_by_unit_counts_distinct_participants_attempts_and_average_scores(quiz, attempts, units):
    rows = {row["unit_name"]: row for row in statistics.by_unit(quiz)}

    school = rows["西湖小学"]
    assert (school["participants"], school["attempts"], school["finished"]) == (2, 3, 3)
    assert school["average_score"] == pytest.approx(10 / 3)
    middle = rows["求是中学"]
    assert (middle["participants"], middle["attempts"], middle["finished"]) == (2, 2, 1)
    assert middle["average_score"] == pytest.approx(4)
    assert rows[None]["participants"] == 1  # attempts without a unit are shown apart
    assert "空白单位" not in rows


def test_unit_ranking_orders_units_by_participants_and_shares_ranks(quiz, attempts, units):
    ranking = statistics.unit_ranking(quiz)

    assert [(row["rank"], row["unit_name"], row["participants"]) for row in ranking] == [
        (1, "西湖小学", 2),  # as many participants as 求是中学, more attempts
        (1, "求是中学", 2),
        (3, "文三街道", 1),
    ]
    assert [row["unit_name"] for row in statistics.unit_ranking(quiz, limit=1)] == ["西湖小学"]


def test_unit_ranking_counts_a_participant_once_however_often_they_try(quiz, units):
    for number in range(1, 4):
        attempt_at(quiz, beijing(2026, 3, 10, 8 + number), unit=units["文三街道"],
                   participant_key="u:keen", day_number=number)  # fmt: skip
    for key in ("a:x", "a:y"):
        attempt_at(quiz, beijing(2026, 3, 10, 9), unit=units["求是中学"], participant_key=key)

    ranking = statistics.unit_ranking(quiz)

    assert [(row["unit_name"], row["participants"], row["attempts"]) for row in ranking] == [
        ("求是中学", 2, 2),
        ("文三街道", 1, 3),
    ]


def test_a_participant_of_two_days_and_two_units_is_one_person_a_day_and_in_each_unit(quiz, units):
    attempt_at(quiz, beijing(2026, 3, 10, 9), unit=units["西湖小学"], participant_key="u:busy")
    attempt_at(quiz, beijing(2026, 3, 10, 10), unit=units["求是中学"], participant_key="u:busy")
    attempt_at(quiz, beijing(2026, 3, 11, 9), unit=units["求是中学"], participant_key="u:busy")
    attempt_at(quiz, beijing(2026, 3, 11, 9), unit=units["求是中学"], participant_key="a:once")

    assert statistics.summary(quiz).participants == 2
    assert [
        (row["day"], row["participants"]) for row in statistics.participations_by_day(quiz)
    ] == [
        (DAY_X, 1),
        (NEXT_DAY, 2),
    ]
    rows = {row["unit_name"]: row for row in statistics.by_unit(quiz)}
    assert (rows["求是中学"]["participants"], rows["求是中学"]["attempts"]) == (2, 3)
    assert (rows["西湖小学"]["participants"], rows["西湖小学"]["attempts"]) == (1, 1)


def _all_statistics(quiz):
    statistics.summary(quiz)
    statistics.participations_by_day(quiz)
    statistics.participations_by_hour(quiz, DAY_X)
    statistics.score_distribution(quiz)
    statistics.unit_ranking(quiz, units=statistics.by_unit(quiz))


@pytest.mark.parametrize("participants", [2, 40])
def test_the_number_of_queries_does_not_grow_with_attempts(
    quiz, units, participants, django_assert_max_num_queries
):
    unit_list = list(units.values())
    for number in range(participants):
        attempt_at(
            quiz,
            beijing(2026, 3, 10, number % 24, number % 60),
            score=number % 6,
            unit=unit_list[number % len(unit_list)],
        )

    # One query each, two for the units (their attempts, their people).
    with django_assert_max_num_queries(6):
        _all_statistics(quiz)
