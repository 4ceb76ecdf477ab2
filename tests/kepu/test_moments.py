"""kepu/moments.py: moments as organisers read them (dashboard panels, admin listings)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kepu.moments import describe_moment
from tests.factories.organisers import OrganiserFactory
from tests.factories.quizzes import QuizFactory

NOW = datetime.datetime(2026, 11, 30, 4, 0, tzinfo=datetime.UTC)  # 12:00 in Beijing


@pytest.mark.sqlite
@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (NOW + datetime.timedelta(days=3, hours=2), "2026-12-03 14:00（3\xa0天后）"),
        (NOW + datetime.timedelta(hours=5), "2026-11-30 17:00（5\xa0小时后）"),
        (NOW - datetime.timedelta(days=40), "2026-10-21 12:00（1\xa0个月前）"),
        (NOW + datetime.timedelta(seconds=20), "2026-11-30 12:00（现在）"),
    ],
)
def test_moments_say_their_beijing_time_and_how_far_away_they_are(moment, text):
    assert describe_moment(moment, NOW) == text


@pytest.mark.django_db
def test_the_quiz_listing_shows_a_future_closing_time_as_future(client):
    closes_at = timezone.now() + datetime.timedelta(days=3, hours=1)
    QuizFactory(title="冬季防疫竞答", closes_at=closes_at)
    client.force_login(OrganiserFactory())

    html = client.get(reverse("wagtailsnippets_quizzes_quiz:list")).content.decode()

    assert "冬季防疫竞答" in html
    assert "3\xa0天后" in html
    assert "刚刚" not in html
