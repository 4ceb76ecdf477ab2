"""Concurrent outbox deliveries for one participant, with real threads on PostgreSQL."""

import functools

import pytest

from competitions.quizzes.certificates.services import issue_certificate
from competitions.quizzes.models import Certificate
from tests.concurrency import at_once
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
    results = at_once([functools.partial(issue_certificate, a.pk) for a in attempts])

    assert [r for r in results if isinstance(r, Exception)] == []
    assert Certificate.objects.get().attempt == attempts[0]
