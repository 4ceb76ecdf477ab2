"""The per-address autosave ceiling is a setting (KEPU_QUIZ_SAVES_PER_IP_PER_MINUTE)."""

import json
import uuid

import pytest
from django.urls import reverse

from competitions.quizzes import attempts
from competitions.quizzes.models import AnswerSave, QuizAttempt
from tests.factories.quizzes import QuizFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def _save(client, attempt, url):
    row = attempt.questions.get(position=1)
    body = {
        "position": 1,
        "options": [attempts.option_token(attempt, row.choice_order[0])],
        "token": str(uuid.uuid4()),
    }
    return client.post(url, json.dumps(body), content_type="application/json")


def test_autosaves_beyond_the_configured_ceiling_are_refused_and_not_recorded(client, settings):
    settings.KEPU_QUIZ_SAVES_PER_IP_PER_MINUTE = 2
    quiz = QuizFactory()
    client.force_login(UserFactory())
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get(quiz=quiz)
    url = reverse("quizzes:save", args=[attempt.public_id])

    statuses = [_save(client, attempt, url).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert AnswerSave.objects.filter(attempt_question__attempt=attempt).count() == 2


def test_a_raised_ceiling_accepts_more_saves_from_one_address(client, settings):
    settings.KEPU_QUIZ_SAVES_PER_IP_PER_MINUTE = 5
    quiz = QuizFactory()
    client.force_login(UserFactory())
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get(quiz=quiz)
    url = reverse("quizzes:save", args=[attempt.public_id])

    statuses = [_save(client, attempt, url).status_code for _ in range(5)]

    assert statuses == [200] * 5
