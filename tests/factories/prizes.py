"""Closed quizzes with prizes, eligible participants and draws, for the prize draw tests."""

import datetime
import itertools

from django.utils import timezone

from competitions.quizzes.models import Quiz, QuizAttempt
from competitions.quizzes.prizes import services as prizes

from .quizzes import FinishedAttemptFactory, QuizFactory
from .users import UserFactory


def closed_quiz(
    prize_rule=Quiz.PrizeRule.FULL_MARKS, prize_list=(("一等奖", 1),), **kwargs
) -> Quiz:
    """A quiz that closed yesterday, with the given prize rule and prizes."""
    now = timezone.now()
    kwargs.setdefault("opens_at", now - datetime.timedelta(days=10))
    kwargs.setdefault("closes_at", now - datetime.timedelta(days=1))
    quiz = QuizFactory(prize_rule=prize_rule, **kwargs)
    if prize_list:
        prizes.set_prizes(quiz, list(prize_list))
    return quiz


_day_numbers = itertools.count(1)


def finished_attempt(quiz: Quiz, user=None, *, score=5, max_score=5, **kwargs) -> QuizAttempt:
    """A finished attempt by `user` (anonymous when None)."""
    if user is not None:
        kwargs.setdefault("participant_key", f"u:{user.pk}")
    kwargs.setdefault("day_number", next(_day_numbers) % 30000 + 1)
    return FinishedAttemptFactory(
        quiz=quiz, user=user, score=score, max_score=max_score, on_leaderboard=False, **kwargs
    )


def eligible_users(quiz: Quiz, count: int) -> list:
    """`count` signed-in participants with full marks."""
    users = UserFactory.create_batch(count)
    for user in users:
        finished_attempt(quiz, user)
    return users


def drawn_quiz(people: int = 5, prize_list=(("一等奖", 1), ("二等奖", 2))):
    """A closed quiz with `people` eligible participants, committed and drawn."""
    quiz = closed_quiz(prize_list=prize_list)
    users = eligible_users(quiz, people)
    prizes.commit_draw(quiz)
    draw = prizes.run_draw(quiz)
    return quiz, draw, users
