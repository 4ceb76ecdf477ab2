"""Migration 0007: the 竞赛组织者 group runs prize draws and sees (masked) claims."""

import pytest
from django.urls import reverse

from competitions.quizzes.models import PrizeDraw
from competitions.quizzes.prizes import services as prizes
from tests.factories.organisers import OrganiserFactory
from tests.factories.prizes import closed_quiz, drawn_quiz, eligible_users

pytestmark = pytest.mark.django_db


def test_an_organiser_commits_and_draws_from_the_admin(client):
    quiz = closed_quiz()
    eligible_users(quiz, 3)
    client.force_login(OrganiserFactory())
    page = reverse("quiz_prizes_admin:quiz", args=[quiz.pk])

    assert client.get(reverse("quiz_prizes_admin:index")).status_code == 200
    assert client.post(reverse("quiz_prizes_admin:commit", args=[quiz.pk])).status_code == 302
    assert client.post(reverse("quiz_prizes_admin:draw", args=[quiz.pk])).status_code == 302

    draw = PrizeDraw.objects.get(quiz=quiz)
    assert draw.is_drawn and draw.winners.count() == 1
    assert client.get(page).status_code == 200


def test_an_organiser_sees_claims_masked_to_send_the_prizes(client):
    quiz, draw, _users = drawn_quiz(people=1, prize_list=(("一等奖", 1),))
    winner = draw.winners.get()
    prizes.save_claim(
        winner, winner.user, prizes.ClaimDetails("张三丰", "+8613812345678", "杭州市文三路90号")
    )
    client.force_login(OrganiserFactory())

    html = client.get(reverse("quiz_prizes_admin:quiz", args=[quiz.pk])).text

    assert "张**" in html and "138****5678" in html
    assert "张三丰" not in html
