import pytest
from django.db import transaction

from competitions.quizzes.certificates.services import certificate_for, issue_certificate
from competitions.quizzes.models import Certificate, QuizAttempt
from competitions.quizzes.models.certificates import (
    CODE_ALPHABET,
    CODE_LENGTH,
    normalise_certificate_code,
)
from outbox import services as outbox
from outbox.models import OutboxMessage
from tests.factories.quizzes import FinishedAttemptFactory, QuizFactory
from tests.factories.users import UserFactory
from tests.quizzes.certificate_helpers import finished_attempt

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def user():
    return UserFactory(display_name="张三丰")


def test_a_passing_attempt_gets_a_certificate_with_a_snapshot_of_its_result(user):
    attempt = finished_attempt(user, score=4, max_score=5)

    certificate = issue_certificate(attempt.pk)

    assert certificate.attempt == attempt
    assert certificate.quiz_title == attempt.quiz.title
    assert (certificate.score, certificate.max_score, certificate.percent) == (4, 5, 80)
    assert certificate.holder_name == "张**"
    assert certificate.issued_at is not None
    assert len(certificate.code) == CODE_LENGTH
    assert set(certificate.code) <= set(CODE_ALPHABET)


def test_issuing_twice_gives_the_same_certificate(user):
    attempt = finished_attempt(user)

    first = issue_certificate(attempt.pk)
    second = issue_certificate(attempt.pk)

    assert first.pk == second.pk
    assert first.code == second.code
    assert second.issued_at == first.issued_at
    assert Certificate.objects.count() == 1


def test_a_failing_attempt_gets_no_certificate(user):
    attempt = finished_attempt(user, score=2, max_score=5)  # 40 % < 60 %

    assert issue_certificate(attempt.pk) is None
    assert not Certificate.objects.exists()


def test_exactly_the_pass_mark_is_enough(user):
    attempt = finished_attempt(user, score=3, max_score=5, quiz=QuizFactory(pass_mark=60))

    assert issue_certificate(attempt.pk) is not None


def test_an_expired_attempt_that_passed_gets_a_certificate(user):
    attempt = finished_attempt(user, status=QuizAttempt.Status.EXPIRED)

    assert issue_certificate(attempt.pk) is not None


def test_an_unfinished_anonymous_or_missing_attempt_gets_none(user):
    quiz = QuizFactory()
    in_progress = finished_attempt(
        user, quiz=quiz, status=QuizAttempt.Status.IN_PROGRESS, score=None, submitted_at=None
    )
    anonymous = FinishedAttemptFactory(quiz=quiz, on_leaderboard=False)

    assert issue_certificate(in_progress.pk) is None
    assert issue_certificate(anonymous.pk) is None
    assert issue_certificate(999_999) is None
    assert not Certificate.objects.exists()


def test_one_certificate_per_participant_per_quiz_showing_the_best_passing_attempt(user):
    quiz = QuizFactory()
    first = finished_attempt(user, quiz=quiz, score=3, minutes_ago=30)
    best = finished_attempt(user, quiz=quiz, score=5, minutes_ago=20)
    later = finished_attempt(user, quiz=quiz, score=4, minutes_ago=10)

    original = issue_certificate(first.pk)
    upgraded = issue_certificate(best.pk)
    unchanged = issue_certificate(later.pk)

    assert Certificate.objects.count() == 1
    assert original.pk == upgraded.pk == unchanged.pk
    certificate = Certificate.objects.get()
    assert certificate.attempt == best
    assert (certificate.score, certificate.percent) == (5, 100)
    assert certificate.code == original.code  # a printed QR code keeps verifying


def test_the_result_does_not_depend_on_the_order_messages_arrive(user):
    quiz = QuizFactory()
    earlier = finished_attempt(user, quiz=quiz, score=4, minutes_ago=30)
    later_same_score = finished_attempt(user, quiz=quiz, score=4, minutes_ago=10)

    issue_certificate(later_same_score.pk)
    issue_certificate(earlier.pk)
    issue_certificate(later_same_score.pk)

    assert Certificate.objects.get().attempt == earlier


def test_participants_and_quizzes_get_separate_certificates(user):
    other = UserFactory()
    quiz = QuizFactory()

    mine = issue_certificate(finished_attempt(user, quiz=quiz).pk)
    theirs = issue_certificate(finished_attempt(other, quiz=quiz).pk)
    another_quiz = issue_certificate(finished_attempt(user).pk)

    assert len({mine.pk, theirs.pk, another_quiz.pk}) == 3
    assert len({mine.code, theirs.code, another_quiz.code}) == 3
    assert certificate_for(mine.attempt) == mine


def test_typed_codes_are_normalised():
    assert normalise_certificate_code(" abcd-efgh jkmn ") == "ABCDEFGHJKMN"
    assert normalise_certificate_code("O0IL") == "0011"


@pytest.mark.django_db(transaction=True)
def test_the_outbox_path_issues_the_certificate_after_commit(user):
    attempt = finished_attempt(user)

    with transaction.atomic():
        message = outbox.enqueue("quizzes.issue_certificate", attempt.pk)
        assert not Certificate.objects.exists()

    message.refresh_from_db()
    assert message.completed_at is not None, message.last_error
    assert Certificate.objects.get().attempt == attempt
    # A redelivery (the relay, a retry) changes nothing.
    OutboxMessage.objects.filter(pk=message.pk).update(completed_at=None)
    assert outbox.run(message.pk) is True
    assert Certificate.objects.count() == 1
