"""The item counters: added to exactly once per finished attempt, in its transaction."""

import datetime
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from competitions.quizzes import attempts
from competitions.quizzes.item_analysis import counters
from competitions.quizzes.models import Choice, ItemCounter, QuizFixedQuestion
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


def test_submitting_again_counts_nothing_more():
    quiz = QuizFactory()
    attempt = take(quiz, "u:1", first_option)
    before = cells(quiz)

    attempts.submit_attempt(attempt, client_token=uuid.uuid4())
    attempts.finalize(attempt.pk)

    assert cells(quiz) == before


def test_attempts_in_progress_count_for_nothing_and_expired_ones_once():
    quiz = QuizFactory()
    began = timezone.now() - datetime.timedelta(hours=1)
    abandoned = attempts.start_attempt(quiz, key="u:2", now=began)
    attempts.start_attempt(quiz, key="u:3")  # still open
    assert not ItemCounter.objects.exists()

    attempts.finalize_expired()

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
    barrier = threading.Barrier(len(started))
    errors = []

    def submit(attempt):
        barrier.wait()
        try:
            attempts.submit_attempt(attempt, client_token=uuid.uuid4())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(attempt,)) for attempt in started]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    found = cells(quiz)
    assert sum(n for (_q, kind, _k), (n, _h) in found.items() if kind == "s") == 8 * 5
    assert sum(h for (_q, kind, _k), (_n, h) in found.items() if kind == "c") == 8 * 5
