"""Concurrent outbox deliveries for one participant, with real threads on PostgreSQL."""

import threading

import pytest
from django.db import connection

from competitions.quizzes.certificates.services import issue_certificate
from competitions.quizzes.models import Certificate
from tests.factories.quizzes import QuizFactory
from tests.factories.users import UserFactory
from tests.quizzes.certificate_helpers import finished_attempt

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def user():
    return UserFactory(display_name="张三丰")


def test_concurrent_deliveries_leave_one_certificate(user):
    attempts = [finished_attempt(user, quiz=QuizFactory(), score=5)]
    quiz = attempts[0].quiz
    attempts += [finished_attempt(user, quiz=quiz, score=s, minutes_ago=5) for s in (3, 4)]
    barrier = threading.Barrier(len(attempts))
    errors = []

    def deliver(attempt_id):
        try:
            barrier.wait()
            issue_certificate(attempt_id)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(a.pk,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Certificate.objects.get().attempt == attempts[0]
