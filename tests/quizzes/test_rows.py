"""The attempt row of a batch or a submit, read and written without the ORM's query building:
the same instances and the same stored values as the ORM's, on both databases."""

import datetime
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from competitions.quizzes import attempts, rows
from competitions.quizzes.models import Quiz, QuizAttempt
from tests.factories.quizzes import QuizFactory, make_bank
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def every_column(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


@pytest.fixture
def taken():
    """A submitted attempt of a signed-in participant: every column has a value."""
    user = UserFactory(consent_status="granted")
    quiz = QuizFactory(bank=make_bank(6), count_page_leaves=True, one_device=True)
    attempt = attempts.start_attempt(quiz, key=attempts.participant_key(user), user=user)
    attempts.submit_attempt(attempt, client_token=uuid.uuid4())
    return QuizAttempt.objects.select_related("quiz", "user").get(pk=attempt.pk)


@pytest.mark.sqlite
def test_the_locked_read_builds_the_attempt_and_its_quiz_as_the_orm_does(taken):
    with transaction.atomic():
        read = rows.locked_attempt(public_id=taken.public_id, participant_key=taken.participant_key)

    assert isinstance(read, QuizAttempt) and isinstance(read.quiz, Quiz)
    assert every_column(read) == every_column(taken)
    assert every_column(read.quiz) == every_column(taken.quiz)
    assert read.answers == taken.answers and read.paper and read.submit_token
    assert not read._state.adding and read._state.db == "default"


@pytest.mark.sqlite
def test_the_locked_read_gives_the_account_checks_their_fields_and_the_rest_on_demand(
    taken, django_assert_num_queries
):
    with transaction.atomic():
        read = rows.locked_attempt(pk=taken.pk)

    user = read.user
    with django_assert_num_queries(0):
        assert (user.pk, user.is_active, user.is_staff) == (taken.user_id, True, False)
        assert not user.is_waiting_for_guardian and user.is_authenticated
    with django_assert_num_queries(1):
        assert user.username == taken.user.username


@pytest.mark.sqlite
def test_an_anonymous_attempt_is_read_without_an_account(django_assert_num_queries):
    quiz = QuizFactory()
    attempt = attempts.start_attempt(quiz, key="a:cookie")

    with transaction.atomic(), django_assert_num_queries(1):
        read = rows.locked_attempt(public_id=attempt.public_id, participant_key="a:cookie")
        assert read.user is None and read.quiz.pk == quiz.pk


@pytest.mark.sqlite
def test_nothing_is_read_for_another_participant_or_an_unknown_attempt(taken):
    with transaction.atomic():
        assert rows.locked_attempt(public_id=taken.public_id, participant_key="u:0") is None
        assert rows.locked_attempt(public_id=uuid.uuid4(), participant_key="u:0") is None
        assert rows.locked_attempt(pk=taken.pk + 1000) is None


@pytest.mark.sqlite
def test_saving_fields_stores_what_the_orm_would(taken):
    later = taken.submitted_at + datetime.timedelta(seconds=5)
    taken.answers = [[7, [1, 2]], None]
    taken.last_saved_at = later
    taken.page_leaves = 3
    taken.verdicts = "-0"

    rows.save_fields(taken, ["answers", "last_saved_at", "page_leaves"])

    stored = QuizAttempt.objects.get(pk=taken.pk)
    assert stored.answers == [[7, [1, 2]], None]
    assert stored.last_saved_at == later and stored.page_leaves == 3
    assert stored.verdicts != "-0"  # not among the fields saved
    taken.verdicts = stored.verdicts
    assert every_column(stored) == every_column(taken)


@pytest.mark.django_db(transaction=True)
def test_the_locked_read_needs_a_transaction_where_rows_can_be_locked(taken):
    # PostgreSQL only: SQLite locks the whole database for a write, not rows.
    with pytest.raises(TransactionManagementError):
        rows.locked_attempt(pk=taken.pk)


@pytest.mark.sqlite
def test_an_inserted_attempt_is_stored_as_the_orm_would_store_it():
    user = UserFactory()
    quiz = QuizFactory()
    now = timezone.now()
    attempt = QuizAttempt(
        quiz=quiz,
        user=user,
        participant_key=attempts.participant_key(user),
        day=now.date(),
        day_number=1,
        total_number=1,
        started_at=now,
        deadline=now + datetime.timedelta(minutes=10),
        max_score=2,
        paper=[[1, [2, 3]], [4, [5, 6]]],
        answers=[None, None],
    )

    rows.insert(attempt)

    assert attempt.pk and not attempt._state.adding
    assert every_column(QuizAttempt.objects.get(pk=attempt.pk)) == every_column(attempt)


@pytest.mark.sqlite
def test_a_second_open_attempt_is_refused_by_the_database_as_with_the_orm():
    quiz = QuizFactory()
    first = attempts.start_attempt(quiz, key="a:twice")
    second = QuizAttempt(
        quiz=quiz,
        participant_key="a:twice",
        day=first.day,
        day_number=2,
        total_number=2,
        started_at=first.started_at,
        deadline=first.deadline,
        max_score=first.max_score,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert(second)
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1
