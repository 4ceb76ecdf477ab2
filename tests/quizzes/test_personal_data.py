"""A participant's quiz data in their account export and deletion."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.deletion import delete_account
from competitions.quizzes.certificates import images as certificate_images
from competitions.quizzes.models import Certificate, QuizAttempt
from tests.factories.quizzes import FinishedAttemptFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_deleting_the_account_drops_drawn_certificates_and_share_cards_from_the_cache(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    attempt = FinishedAttemptFactory(user=user, participant_key=f"u:{user.pk}")
    certificate = Certificate.objects.create(
        attempt=attempt,
        quiz=attempt.quiz,
        participant_key=attempt.participant_key,
        code="ABCDEFGHJKMN",
        holder_name="张*",
        quiz_title=attempt.quiz.title,
        score=5,
        max_score=5,
        percent=100,
        issued_at=timezone.now(),
    )
    keys = certificate_images.cache_keys([certificate], [attempt])
    cache.set_many(dict.fromkeys(keys, b"drawn image"))

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user)

    assert not QuizAttempt.objects.filter(pk=attempt.pk).exists()
    assert cache.get_many(keys) == {}
