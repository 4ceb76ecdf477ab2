"""competitions/quizzes/prizes/notifications.py: winners are told when the draw runs."""

import pytest

from accounts.sms import MemorySMSBackend
from competitions.quizzes.prizes import services as prizes
from notifications.models import Notification
from tests.factories.prizes import closed_quiz, finished_attempt
from tests.factories.users import PhoneUserFactory

pytestmark = pytest.mark.django_db


def test_winners_get_a_text_with_the_claim_link_when_the_draw_runs(
    django_capture_on_commit_callbacks,
):
    MemorySMSBackend.clear()
    quiz = closed_quiz(title="冬季防疫知识竞答", prize_list=(("一等奖", 2),))
    winners = [PhoneUserFactory() for _ in range(2)]
    for user in winners:
        finished_attempt(quiz, user)
    prizes.commit_draw(quiz)

    with django_capture_on_commit_callbacks(execute=True):
        prizes.run_draw(quiz)
    with django_capture_on_commit_callbacks(execute=True):
        prizes.run_draw(quiz)  # drawing again tells nobody again

    texts = {sent.phone: sent for sent in MemorySMSBackend.outbox}
    assert set(texts) == {user.phone for user in winners}
    sent = texts[winners[0].phone]
    assert sent.template == "prize_won"
    assert sent.params["prize"] == "一等奖" and sent.params["quiz"] == "冬季防疫知识竞答"
    assert sent.params["link"] == f"https://kepu.example.org/quiz/{quiz.pk}/prize/claim/"
    assert "一等奖" in sent.message and sent.params["link"] in sent.message
    assert Notification.objects.filter(kind="prize_won", status="sent").count() == 2
