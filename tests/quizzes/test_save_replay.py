"""Autosave replays are recognised by the unique client token, also after a refusal."""

import datetime
import uuid

import pytest
from django.utils import timezone

from competitions.quizzes import attempts
from competitions.quizzes.models import AnswerSave, AttemptQuestion
from tests.factories.quizzes import QuizFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt():
    return attempts.start_attempt(QuizFactory(), key="u:1")


def first_option(attempt, position=1):
    row = attempt.questions.get(position=position)
    return [attempts.option_token(attempt, row.choice_order[0])]


def test_a_replay_after_submitting_returns_the_first_result(attempt):
    token = uuid.uuid4()
    first = attempts.save_answer(
        attempt, position=1, tokens=first_option(attempt), client_token=token
    )
    finished = attempts.submit_attempt(attempt, client_token=uuid.uuid4())

    again = attempts.save_answer(
        finished, position=1, tokens=first_option(attempt), client_token=token
    )

    assert again.replayed and again.saved_at == first.saved_at
    assert AnswerSave.objects.count() == 1


def test_a_new_save_after_submitting_is_refused_and_changes_nothing(attempt):
    finished = attempts.submit_attempt(attempt, client_token=uuid.uuid4())

    with pytest.raises(attempts.AttemptFinished):
        attempts.save_answer(
            finished, position=1, tokens=first_option(attempt), client_token=uuid.uuid4()
        )
    assert not AnswerSave.objects.exists()


def test_a_replay_after_the_deadline_returns_the_first_result(attempt):
    token = uuid.uuid4()
    attempts.save_answer(attempt, position=1, tokens=first_option(attempt), client_token=token)
    late = attempt.deadline + datetime.timedelta(seconds=1)

    again = attempts.save_answer(
        attempt, position=1, tokens=first_option(attempt), client_token=token, now=late
    )

    assert again.replayed


def test_a_token_saved_in_another_attempt_is_refused(attempt):
    other = attempts.start_attempt(attempt.quiz, key="u:2")
    token = uuid.uuid4()
    attempts.save_answer(other, position=1, tokens=first_option(other), client_token=token)

    with pytest.raises(attempts.InvalidAnswer):
        attempts.save_answer(attempt, position=1, tokens=first_option(attempt), client_token=token)
    assert not AttemptQuestion.objects.filter(attempt=attempt).exclude(selected=[]).exists()


def test_a_fresh_save_is_one_read_and_one_short_transaction(attempt, django_assert_num_queries):
    tokens = first_option(attempt, position=2)
    # read the question; BEGIN (savepoint in tests), lock, insert, update, COMMIT
    with django_assert_num_queries(6):
        attempts.save_answer(attempt, position=2, tokens=tokens, client_token=uuid.uuid4())
    assert attempt.questions.get(position=2).answered_at <= timezone.now()
