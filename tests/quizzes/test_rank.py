"""A participant's rank: exact within the same score, higher scores from a short cache."""

import datetime

import pytest
from django.utils import timezone

from competitions.quizzes import attempts
from competitions.quizzes.models import LeaderboardEntry
from tests.factories.quizzes import FinishedAttemptFactory, QuizFactory

pytestmark = pytest.mark.django_db


def entry(quiz, score, seconds, minutes_ago=10):
    attempt = FinishedAttemptFactory(
        quiz=quiz,
        score=score,
        duration_ms=seconds * 1000,
        submitted_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )
    return LeaderboardEntry.objects.get(attempt=attempt)


def test_rank_orders_by_score_then_time_then_who_was_first(settings):
    settings.KEPU_QUIZ_RANK_CACHE_SECONDS = 0
    quiz = QuizFactory()
    best = entry(quiz, 5, 100)
    slower = entry(quiz, 5, 200, minutes_ago=20)
    tie_later = entry(quiz, 5, 200, minutes_ago=5)
    lower = entry(quiz, 4, 10)

    assert [attempts.rank_of(e) for e in (best, slower, tie_later, lower)] == [1, 2, 3, 4]


def test_higher_scores_come_from_a_cache_of_the_configured_age(settings):
    settings.KEPU_QUIZ_RANK_CACHE_SECONDS = 60
    quiz = QuizFactory()
    mine = entry(quiz, 3, 100)
    entry(quiz, 4, 100)
    assert attempts.rank_of(mine) == 2

    entry(quiz, 5, 100)  # a better participant arrives within the cache's lifetime
    faster_same_score = entry(quiz, 3, 50)

    # Same-score rivals count at once; higher scores once the cached counts expire.
    assert attempts.rank_of(mine) == 3
    assert attempts.rank_of(faster_same_score) == 2
    settings.KEPU_QUIZ_RANK_CACHE_SECONDS = 0
    assert attempts.rank_of(mine) == 4


def test_rank_uses_a_cached_count_instead_of_counting_every_higher_score(
    settings, django_assert_num_queries
):
    settings.KEPU_QUIZ_RANK_CACHE_SECONDS = 60
    quiz = QuizFactory()
    mine = entry(quiz, 1, 100)
    for score in range(2, 6):
        entry(quiz, score, 100)
    attempts.rank_of(mine)

    with django_assert_num_queries(1):
        assert attempts.rank_of(mine) == 5


def test_a_process_keeps_the_shared_counts_until_they_are_too_old(
    settings, django_assert_num_queries, monkeypatch
):
    """One process counts; every process keeps the counts it read until they are
    KEPU_QUIZ_RANK_CACHE_SECONDS old, asking neither PostgreSQL nor Redis meanwhile."""
    from django.core.cache import cache

    from kepu.memo import forget_all

    settings.KEPU_QUIZ_RANK_CACHE_SECONDS = 60
    quiz = QuizFactory()
    mine = entry(quiz, 1, 100)
    entry(quiz, 2, 100)
    assert attempts.rank_of(mine) == 2
    key = f"quizzes:rank:scores:{quiz.pk}"

    cache.delete(key)  # not read again by this process while its copy is young
    with django_assert_num_queries(1):  # the same-score count only
        assert attempts.rank_of(mine) == 2

    # Another process counted 50 s ago (three higher entries); this one has not read yet.
    now = 1_000_000.0
    monkeypatch.setattr("competitions.quizzes.attempts.time.time", lambda: now)
    cache.set(key, (now - 50, {2: 3}), 60)
    forget_all()
    with django_assert_num_queries(1):
        assert attempts.rank_of(mine) == 4
    # Kept for the 10 s the shared copy has left, then counted afresh (one entry at 2).
    now += 9
    assert attempts.rank_of(mine) == 4
    now += 2
    assert attempts.rank_of(mine) == 2
    assert cache.get(key) == (now, {1: 1, 2: 1})

    # Counted on a host whose clock runs 5 s ahead: taken, kept 60 s from this host's now,
    # and counted afresh once 60 s old by the other host's clock (at most the skew late).
    counted_ahead = now + 5
    cache.set(key, (counted_ahead, {2: 3}), 60)
    forget_all()
    with django_assert_num_queries(1):
        assert attempts.rank_of(mine) == 4
    now += 59
    assert attempts.rank_of(mine) == 4
    now = counted_ahead + 60
    assert attempts.rank_of(mine) == 2
