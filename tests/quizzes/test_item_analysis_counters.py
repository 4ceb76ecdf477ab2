"""The item counters: each finished attempt added exactly once, by the worker's job that the
submit's transaction schedules through the outbox."""

import datetime
import functools
import time
import uuid

import pytest
from django.utils import timezone

from competitions.quizzes import attempts, tasks
from competitions.quizzes.item_analysis import counters
from competitions.quizzes.models import Choice, ItemCounter, QuizAttempt, QuizFixedQuestion
from outbox import services as outbox
from outbox.models import OutboxMessage
from tests.concurrency import at_once
from tests.factories.quizzes import QuizFactory, make_bank

from .paper_helpers import batch, take

pytestmark = pytest.mark.django_db


def cells(quiz) -> dict:
    return {
        (row.question_id, row.kind, row.key): (row.n, row.hits)
        for row in ItemCounter.objects.filter(quiz=quiz)
    }


def first_option(question_id, order):
    return order[:1]


def test_a_submitted_attempt_adds_its_score_choice_and_place_cells():
    quiz = QuizFactory()
    attempt = take(quiz, "u:1", first_option)
    right = set(Choice.objects.filter(is_correct=True).values_list("pk", flat=True))

    found = cells(quiz)

    for question_id, order in attempt.paper:
        assert found[(question_id, "s", attempt.score)] == (1, int(order[0] in right))
        assert found[(question_id, "c", order[0])] == (0, 1)
        assert found[(question_id, "p", 1)] == (0, 1)
    assert sum(n for (_q, kind, _k), (n, _h) in found.items() if kind == "s") == 5


def count_messages(quiz) -> list:
    return list(OutboxMessage.objects.filter(target=counters.JOB, args=[quiz.pk]))


def drawn(quiz) -> int:
    return sum(n for (_q, kind, _k), (n, _h) in cells(quiz).items() if kind == "s")


def test_the_submit_leaves_the_counting_to_the_outbox_job_which_counts_it_once():
    quiz = QuizFactory()
    attempt = take(quiz, "u:1", first_option, counted=False)

    assert cells(quiz) == {}
    assert QuizAttempt.objects.get(pk=attempt.pk).items_pending
    [message] = count_messages(quiz)

    assert outbox.run(message.pk)
    counted = cells(quiz)
    assert drawn(quiz) == 5
    assert not QuizAttempt.objects.get(pk=attempt.pk).items_pending
    # Delivered again (a lost acknowledgement), or run by hand: nothing more.
    assert counters.count_pending(quiz.pk) == 0
    OutboxMessage.objects.filter(pk=message.pk).update(completed_at=None)
    outbox.run(message.pk)
    assert cells(quiz) == counted


def test_submitting_again_counts_nothing_more():
    quiz = QuizFactory()
    attempt = take(quiz, "u:1", first_option)
    before = cells(quiz)

    attempts.submit_attempt(attempt, client_token=uuid.uuid4())
    attempts.finalize(attempt.pk)
    counters.count_pending(quiz.pk)

    assert cells(quiz) == before


def test_submits_close_together_share_one_message_and_a_message_about_to_run_is_not_reused():
    quiz = QuizFactory(attempts_per_day=0)
    for number in range(3):
        take(quiz, f"u:{number}", first_option, counted=False)
    assert len(count_messages(quiz)) == 1

    # The waiting message is due within the margin: the relay may hand it over before
    # the next submit commits, so that submit records its own.
    OutboxMessage.objects.filter(target=counters.JOB).update(
        available_at=timezone.now() + counters.MARGIN / 2
    )
    take(quiz, "u:9", first_option, counted=False)
    assert len(count_messages(quiz)) == 2

    for message in count_messages(quiz):
        outbox.run(message.pk)
    assert drawn(quiz) == 4 * 5


def test_a_failed_count_counts_nothing_and_its_retry_counts_everything_once(monkeypatch):
    quiz = QuizFactory(attempts_per_day=0)
    for number in range(2):
        take(quiz, f"u:{number}", first_option, counted=False)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(counters, "upsert", broken)
    with pytest.raises(RuntimeError):
        counters.count_pending(quiz.pk)
    assert QuizAttempt.objects.filter(quiz=quiz, items_pending=True).count() == 2
    monkeypatch.undo()

    assert counters.count_pending(quiz.pk) == 2
    assert drawn(quiz) == 2 * 5


def test_attempts_in_progress_count_for_nothing_and_expired_ones_once():
    quiz = QuizFactory()
    began = timezone.now() - datetime.timedelta(hours=1)
    abandoned = attempts.start_attempt(quiz, key="u:2", now=began)
    attempts.start_attempt(quiz, key="u:3")  # still open
    assert not ItemCounter.objects.exists()

    # The minutely housekeeping task finalises it and counts it (no message needed).
    tasks.finalize_expired_attempts()

    found = cells(quiz)
    for question_id, _order in abandoned.paper:
        assert found[(question_id, "s", 0)] == (1, 0)
        assert found[(question_id, "c", counters.UNANSWERED)] == (0, 1)
    assert len({key[0] for key in found}) == 5


def test_a_rebuild_gives_the_counters_the_submits_kept():
    quiz = QuizFactory(attempts_per_day=0)
    for number in range(6):
        take(quiz, f"u:{number}", lambda question_id, order, n=number: order[n % 4 : n % 4 + 1])
    kept = cells(quiz)

    ItemCounter.objects.filter(quiz=quiz).update(n=0, hits=0)
    assert counters.rebuild(quiz.pk) == 6

    assert cells(quiz) == kept


def test_a_rebuild_counts_the_attempts_the_worker_has_not_reached_once():
    quiz = QuizFactory(attempts_per_day=0)
    take(quiz, "u:1", first_option)
    take(quiz, "u:2", first_option, counted=False)

    assert counters.rebuild(quiz.pk) == 2
    assert counters.count_pending(quiz.pk) == 0
    assert drawn(quiz) == 2 * 5


def test_the_analysis_histogram_leaves_out_the_attempts_not_counted_yet():
    quiz = QuizFactory(attempts_per_day=0)
    right = set(Choice.objects.filter(is_correct=True).values_list("pk", flat=True))
    take(quiz, "u:1", lambda question_id, order: [pk for pk in order if pk in right])
    take(quiz, "u:2", lambda question_id, order: [], counted=False)

    assert counters.counted_histogram(quiz.pk, {5: 1, 0: 1}) == {5: 1}


# Real threads against PostgreSQL: submits of one fixed paper touch the same counter rows.
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_of_one_paper_are_all_counted_without_deadlock(wagtail_tree):
    quiz = QuizFactory(bank=make_bank(6), attempts_per_day=0)
    for question in quiz.bank.questions.all()[:5]:
        QuizFixedQuestion.objects.create(quiz=quiz, question=question)
    quiz.refresh_from_db()
    started = []
    for number in range(8):
        attempt = attempts.start_attempt(quiz, key=f"u:{number}")
        answers = {
            position: (position, [attempts.option_token(attempt, order[number % len(order)])])
            for position, (_question_id, order) in enumerate(attempt.paper, start=1)
        }
        attempts.save_answers(attempt.public_id, key=attempt.participant_key, batch=batch(answers))
        started.append(attempt)
    submitted = at_once(
        [
            functools.partial(attempts.submit_attempt, attempt, client_token=uuid.uuid4())
            for attempt in started
        ]
    )

    assert [r for r in submitted if isinstance(r, Exception)] == []
    # The workers' jobs, several at the same moment as a duplicated delivery would run them.
    counted = at_once([functools.partial(counters.count_pending, quiz.pk)] * 4)

    assert all(isinstance(n, int) for n in counted) and sum(counted) == 8
    found = cells(quiz)
    assert sum(n for (_q, kind, _k), (n, _h) in found.items() if kind == "s") == 8 * 5
    assert sum(h for (_q, kind, _k), (_n, h) in found.items() if kind == "c") == 8 * 5


# The production path: the submit's message waits for its due time, the relay (Celery beat)
# hands it to a real worker process, which counts the attempt.
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_counts_a_submitted_attempt_once_the_relay_hands_it_over(
    wagtail_tree, celery_worker
):
    quiz = QuizFactory()
    attempt = take(quiz, "u:1", first_option, counted=False)
    [message] = count_messages(quiz)
    assert message.available_at > timezone.now()  # coalesced: not handed over at the commit
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())

    assert outbox.relay() == 1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and QuizAttempt.objects.get(pk=attempt.pk).items_pending:
        time.sleep(0.2)

    assert not QuizAttempt.objects.get(pk=attempt.pk).items_pending
    assert drawn(quiz) == 5
    assert OutboxMessage.objects.get(pk=message.pk).completed_at is not None
