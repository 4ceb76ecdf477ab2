"""The per-address autosave ceiling is a setting (KEPU_QUIZ_SAVES_PER_IP_PER_MINUTE)."""

import pytest
from django.urls import reverse

from competitions.quizzes.models import AnswerBatch, QuizAttempt
from tests.factories.quizzes import QuizFactory
from tests.factories.users import UserFactory

from .paper_helpers import batch_json, tokens_at

pytestmark = pytest.mark.django_db


def _save(client, attempt, url):
    return client.post(url, {"batch": batch_json({1: (1, tokens_at(attempt, 1)[:1])})})


def test_autosaves_beyond_the_configured_ceiling_are_refused_and_not_recorded(client, settings):
    settings.KEPU_QUIZ_SAVES_PER_IP_PER_MINUTE = 2
    quiz = QuizFactory()
    client.force_login(UserFactory())
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get(quiz=quiz)
    url = reverse("quizzes:save", args=[attempt.public_id])

    statuses = [_save(client, attempt, url).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert AnswerBatch.objects.filter(attempt=attempt).count() == 2


def test_a_raised_ceiling_accepts_more_saves_from_one_address(client, settings):
    settings.KEPU_QUIZ_SAVES_PER_IP_PER_MINUTE = 5
    quiz = QuizFactory()
    client.force_login(UserFactory())
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get(quiz=quiz)
    url = reverse("quizzes:save", args=[attempt.public_id])

    statuses = [_save(client, attempt, url).status_code for _ in range(5)]

    assert statuses == [200] * 5
