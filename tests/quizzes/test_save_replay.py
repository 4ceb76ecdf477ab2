"""Batches of answers: idempotent on their token, ordered by the client's sequence numbers."""

import datetime
import uuid

import pytest
from django.utils import timezone

from competitions.quizzes import attempts
from competitions.quizzes.models import AnswerBatch, QuizAttempt
from tests.factories.quizzes import QuizFactory

from .paper_helpers import batch, tokens_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt():
    return attempts.start_attempt(QuizFactory(), key="u:1")


def save(attempt, answers, **kwargs):
    return attempts.save_answers(
        attempt.public_id, key=attempt.participant_key, batch=batch(answers, **kwargs)
    )


def held(attempt, position):
    attempt.refresh_from_db()
    return attempt.selected(position)


def test_a_batch_saves_several_answers_at_once(attempt):
    first, second = tokens_at(attempt, 1), tokens_at(attempt, 2)

    result = save(attempt, {1: (1, first[:1]), 2: (2, second[1:2])})

    assert result.sequences == {1: 1, 2: 2} and not result.replayed
    assert held(attempt, 1) == [attempt.paper[0][1][0]]
    assert held(attempt, 2) == [attempt.paper[1][1][1]]
    assert AnswerBatch.objects.get().applied == 2


def test_a_replayed_batch_changes_nothing_and_says_so(attempt):
    token = uuid.uuid4()
    options = tokens_at(attempt, 1)
    first = save(attempt, {1: (1, options[:1])}, token=token)
    save(attempt, {1: (2, options[1:2])})

    again = save(attempt, {1: (1, options[:1])}, token=token)

    assert again.replayed and again.saved_at == first.saved_at
    assert held(attempt, 1) == [attempt.paper[0][1][1]]  # the newer answer stays
    assert again.sequences[1] == 2
    assert AnswerBatch.objects.count() == 2


def test_an_older_batch_arriving_late_never_overwrites_a_newer_answer(attempt):
    options = tokens_at(attempt, 1)
    save(attempt, {1: (7, options[2:3])})

    late = save(attempt, {1: (5, options[:1]), 2: (6, tokens_at(attempt, 2)[:1])})

    assert held(attempt, 1) == [attempt.paper[0][1][2]]
    assert held(attempt, 2) == [attempt.paper[1][1][0]]  # its other answer was new
    assert late.sequences == {1: 7, 2: 6}
    assert AnswerBatch.objects.order_by("pk").last().applied == 1


def test_a_form_post_without_sequence_is_the_newest_answer(attempt):
    options = tokens_at(attempt, 1)
    save(attempt, {1: (40, options[:1])})

    attempts.save_answer(attempt, position=1, tokens=options[1:2], client_token=uuid.uuid4())

    assert held(attempt, 1) == [attempt.paper[0][1][1]]
    assert attempts.sequences(attempt)[1] == 41


def test_a_replay_after_submitting_returns_the_first_result(attempt):
    token = uuid.uuid4()
    first = save(attempt, {1: (1, tokens_at(attempt, 1)[:1])}, token=token)
    attempts.submit_attempt(attempt, client_token=uuid.uuid4())

    again = save(attempt, {1: (1, tokens_at(attempt, 1)[:1])}, token=token)

    assert again.replayed and again.finished and again.saved_at == first.saved_at
    assert AnswerBatch.objects.count() == 1


def test_a_new_batch_after_submitting_is_refused_and_changes_nothing(attempt):
    attempts.submit_attempt(attempt, client_token=uuid.uuid4())

    with pytest.raises(attempts.AttemptFinished):
        save(attempt, {1: (1, tokens_at(attempt, 1)[:1])})
    assert not AnswerBatch.objects.exists()


def test_a_replay_after_the_deadline_returns_the_first_result(attempt):
    token = uuid.uuid4()
    save(attempt, {1: (1, tokens_at(attempt, 1)[:1])}, token=token)
    late = attempt.deadline + datetime.timedelta(seconds=1)

    again = attempts.save_answers(
        attempt.public_id,
        key="u:1",
        batch=batch({1: (1, tokens_at(attempt, 1)[:1])}, token=token),
        now=late,
    )

    assert again.replayed
    with pytest.raises(attempts.DeadlinePassed):
        attempts.save_answers(
            attempt.public_id, key="u:1", batch=batch({2: (2, tokens_at(attempt, 2)[:1])}), now=late
        )


def test_a_token_saved_in_another_attempt_is_refused(attempt):
    other = attempts.start_attempt(attempt.quiz, key="u:2")
    token = uuid.uuid4()
    save(other, {1: (1, tokens_at(other, 1)[:1])}, token=token)

    with pytest.raises(attempts.InvalidAnswer):
        save(attempt, {1: (1, tokens_at(attempt, 1)[:1])}, token=token)
    assert held(attempt, 1) == []


def test_someone_elses_attempt_is_not_found(attempt):
    with pytest.raises(attempts.AttemptNotFound):
        attempts.save_answers(
            attempt.public_id, key="u:2", batch=batch({1: (1, tokens_at(attempt, 1)[:1])})
        )


def test_a_batch_is_one_lock_one_insert_and_one_update(attempt, django_assert_num_queries):
    answers = {position: (position, tokens_at(attempt, position)[:1]) for position in (1, 2, 3)}
    # SAVEPOINT (BEGIN in production), lock the row, insert the batch, update, RELEASE (COMMIT)
    with django_assert_num_queries(5):
        save(attempt, answers)
    assert held(attempt, 3)
    assert attempt.last_saved_at <= timezone.now()


def test_page_leaves_only_grow_and_the_limit_submits_the_attempt():
    quiz = QuizFactory(count_page_leaves=True, max_page_leaves=3)
    attempt = attempts.start_attempt(quiz, key="u:5")
    options = tokens_at(attempt, 1)

    assert save(attempt, {}, leaves=2).page_leaves == 2
    assert save(attempt, {}, leaves=1).page_leaves == 2  # a late batch does not lower it
    result = save(attempt, {1: (1, options[:1])}, leaves=3)

    assert result.finished
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.SUBMITTED
    assert attempt.auto_submitted == QuizAttempt.AutoSubmit.PAGE_LEAVES
    assert attempt.selected(1) == [attempt.paper[0][1][0]]  # the batch's answer counted


def test_leaves_are_ignored_when_the_quiz_does_not_count_them(attempt):
    assert save(attempt, {}, leaves=9).page_leaves == 0


def test_one_device_at_a_time_moves_the_attempt_and_refuses_the_first_phone():
    quiz = QuizFactory(one_device=True)
    attempt = attempts.start_attempt(quiz, key="u:6", device="phone-a")
    options = tokens_at(attempt, 1)

    resumed = attempts.start_attempt(quiz, key="u:6", device="phone-b")

    assert resumed.pk == attempt.pk and resumed.device_switches == 1
    with pytest.raises(attempts.OtherDevice):
        attempts.save_answers(
            attempt.public_id, key="u:6", batch=batch({1: (1, options[:1])}), device="phone-a"
        )
    attempts.save_answers(
        attempt.public_id, key="u:6", batch=batch({1: (2, options[1:2])}), device="phone-b"
    )
    assert held(attempt, 1) == [attempt.paper[0][1][1]]
    with pytest.raises(attempts.OtherDevice):
        attempts.submit_attempt(attempt, client_token=uuid.uuid4(), device="phone-a")


def test_the_submit_carries_the_answers_not_yet_saved(attempt):
    save(attempt, {1: (1, tokens_at(attempt, 1)[:1])})

    finished = attempts.submit_attempt(
        attempt,
        client_token=uuid.uuid4(),
        batch=batch({1: (2, tokens_at(attempt, 1)[1:2]), 2: (3, tokens_at(attempt, 2)[:1])}),
    )

    assert finished.selected(1) == [attempt.paper[0][1][1]]
    assert finished.selected(2) == [attempt.paper[1][1][0]]
    assert len(finished.verdicts) == 5 and finished.verdicts[2:] == "---"


def test_answers_carried_by_a_submit_after_the_deadline_do_not_count(attempt):
    late = attempt.deadline + datetime.timedelta(seconds=1)

    finished = attempts.submit_attempt(
        attempt,
        client_token=uuid.uuid4(),
        batch=batch({1: (1, tokens_at(attempt, 1)[:1])}),
        now=late,
    )

    assert finished.status == QuizAttempt.Status.EXPIRED
    assert finished.selected(1) == [] and finished.verdicts == "-----"
