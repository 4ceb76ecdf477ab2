"""The home page's first screen lists what is open now, and its cached copy lives no longer
than the moment that changes."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from competitions.quizzes.models import QuizPage
from competitions.submissions.models import ContestPage
from content.open_now import open_now
from tests.factories.contests import ContestFactory
from tests.factories.quizzes import QuizFactory
from tests.factories.reach import site_home

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

HOUR = datetime.timedelta(hours=1)


def quiz_page(home, title, **quiz_fields):
    quiz = QuizFactory(title=title, **quiz_fields)
    return home.add_child(instance=QuizPage(title=title, quiz=quiz, summary="摘要"))


def contest_page(home, title, phase):
    contest = ContestFactory(title=title, phase=phase)
    return home.add_child(instance=ContestPage(title=title, contest=contest, summary="摘要"))


def test_open_quizzes_contests_and_votes_are_listed_closing_soonest_first():
    home = site_home()
    now = timezone.now()
    quiz_page(home, "防疫知识有奖竞答", opens_at=now - HOUR, closes_at=now + 5 * HOUR)
    quiz_page(home, "还没开始的竞答", opens_at=now + HOUR, closes_at=now + 9 * HOUR)
    quiz_page(home, "已经结束的竞答", opens_at=now - 9 * HOUR, closes_at=now - HOUR)
    entering = contest_page(home, "读后感征集", "submission")
    voting = contest_page(home, "短视频征集", "voting")
    contest_page(home, "评审中的征集", "review")

    items = open_now(now).items

    titles = [item.title for item in items]
    assert sorted(titles) == ["短视频征集", "读后感征集", "防疫知识有奖竞答"]
    assert [item.until for item in items] == sorted(item.until for item in items)
    vote = next(item for item in items if item.title == "短视频征集")
    assert vote.url == reverse("voting:ranking", args=[voting.contest_id])
    entry = next(item for item in items if item.title == "读后感征集")
    assert entry.url == entering.url


def test_the_next_change_is_the_earliest_opening_or_closing_to_come():
    home = site_home()
    now = timezone.now()
    quiz_page(home, "开着的竞答", opens_at=now - HOUR, closes_at=now + 5 * HOUR)
    quiz_page(home, "一小时后开始", opens_at=now + HOUR, closes_at=now + 9 * HOUR)

    assert open_now(now).next_change == now + HOUR


def test_the_first_screen_lists_what_is_open_and_a_sign_in_link(client):
    home = site_home()
    now = timezone.now()
    page = quiz_page(home, "防疫知识有奖竞答", opens_at=now - HOUR, closes_at=now + 5 * HOUR)

    html = client.get("/").content.decode()

    assert "正在进行" in html
    assert f'href="{page.url}"' in html and "去答题" in html
    assert reverse("account_login") in html
    # What is open comes before the rest of the page.
    assert html.index("正在进行") < html.index("site-footer")


def test_the_cached_home_page_expires_when_a_quiz_opens(client, settings):
    settings.KEPU_PAGE_CACHE_SECONDS = 600
    home = site_home()
    now = timezone.now()
    quiz_page(
        home, "马上开始的竞答", opens_at=now + datetime.timedelta(seconds=1), closes_at=now + HOUR
    )

    assert "马上开始的竞答" not in client.get("/").content.decode()
    time.sleep(1.2)
    assert "马上开始的竞答" in client.get("/").content.decode()
