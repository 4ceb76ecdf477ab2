"""dashboard/panels.py: the organisers' dashboard, by permission, in a fixed number of queries."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competitions.judging.models import Assignment
from competitions.quizzes.prizes import services as prizes
from competitions.voting.models import Vote
from content.reach.models import PosterScan
from content.video.models import Video
from tests.factories.contests import EntryFactory
from tests.factories.judging import JudgingRoundFactory
from tests.factories.organisers import EDITORS, OrganiserFactory
from tests.factories.prizes import closed_quiz, eligible_users
from tests.factories.quizzes import FinishedAttemptFactory, QuizFactory
from tests.factories.reach import PosterFactory, site_home
from tests.factories.users import StaffFactory, UserFactory
from tests.factories.voting import VoterFactory, VotingContestFactory
from tests.judging.conftest import submitted

pytestmark = pytest.mark.django_db

# The whole admin home page for an administrator who sees every panel: Wagtail's own panels
# and menus included.
QUERY_BUDGET = 30


@pytest.fixture
def home(db):
    return site_home()


def a_campaign(home, scale: int = 1, start: int = 0):
    """Quizzes with today's attempts, contests in judging, a vote with a busy network, a drawn
    prize, a failed video and scanned posters; `scale` multiplies the rows, not the kinds."""
    today = timezone.localdate()
    for n in range(start, start + 2 * scale):
        quiz = QuizFactory(title=f"冬季防疫竞答{n}")
        for attempt in range(3):
            FinishedAttemptFactory(
                quiz=quiz, day=today, day_number=attempt + 1, participant_key=f"a:{n}-{attempt % 2}"
            )
    for n in range(start, start + scale):
        round = JudgingRoundFactory(name="初评", rubric__contest__title=f"读后感征集{n}")
        entries = [EntryFactory(contest=round.contest) for _ in range(3)]
        for index, entry in enumerate(entries):
            assignment = Assignment.objects.create(round=round, entry=entry, judge=UserFactory())
            if index == 0:
                submitted(assignment, 80)
        contest = VotingContestFactory(title=f"科学家精神短视频征集{n}")
        entry = EntryFactory(contest=contest)
        for voter in range(60):
            Vote.objects.create(
                entry=entry,
                contest=contest,
                voter=VoterFactory(),
                day=today,
                slot=1,
                created_at=timezone.now() - datetime.timedelta(minutes=voter),
                ip_network="203.0.113.0/24",
            )
        quiz = closed_quiz(title=f"科普日抽奖{n}")
        eligible_users(quiz, 2)
        prizes.commit_draw(quiz)
        prizes.run_draw(quiz)
        Video.objects.create(title=f"转码失败的视频{n}", status="failed", failure_reason="没有画面")
    for n in range(start, start + 2 * scale):
        poster = PosterFactory(page__parent=home, location=f"人民路公交站{n}")
        for _ in range(n + 1):
            PosterScan.objects.create(poster=poster)


def test_an_organiser_sees_what_is_running_and_where_to_handle_it(client, home):
    a_campaign(home)
    organiser = OrganiserFactory(groups=[EDITORS])
    client.force_login(organiser)

    html = client.get(reverse("wagtailadmin_home")).text

    assert "正在进行的知识竞答" in html and "冬季防疫竞答0" in html
    quiz_row = html.split("冬季防疫竞答0", 1)[1].split("</li>", 1)[0]
    assert "今日作答" in quiz_row and "<dd>3</dd>" in quiz_row and "<dd>2</dd>" in quiz_row
    contest_row = html.split("读后感征集0", 1)[1].split("</li>", 1)[0]
    assert "专家评审" in contest_row and "1 / 3" in contest_row
    assert reverse("judging_admin:index") in contest_row
    votes = html.split("需要关注的公众投票", 1)[1]
    vote_row = votes.split("科学家精神短视频征集0", 1)[1].split("</li>", 1)[0]
    assert "60 票来自网段 203.0.113.0/24" in vote_row
    assert "科普日抽奖0" in html and "尚未填写收件信息的中奖者" in html
    assert "人民路公交站1" in html  # the most scanned poster of the week
    assert "转码失败的视频0" in html  # editors (编辑) look after videos


def test_each_panel_needs_its_permission(client, home):
    a_campaign(home)
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_home")).text

    assert "人民路公交站" in html
    for heading in ("正在进行的知识竞答", "作品征集", "需要关注的公众投票", "奖品领取"):
        assert heading not in html


def test_an_organiser_who_edits_no_pages_sees_no_videos_nor_posters(client, home):
    a_campaign(home)
    client.force_login(OrganiserFactory())

    html = client.get(reverse("wagtailadmin_home")).text

    assert "正在进行的知识竞答" in html
    assert "转码失败的视频0" not in html and "人民路公交站" not in html


def test_administrators_see_why_a_video_failed(client, home):
    a_campaign(home)
    client.force_login(StaffFactory())

    html = client.get(reverse("wagtailadmin_home")).text

    assert "转码失败的视频0" in html and "没有画面" in html


def test_every_panel_links_to_its_full_listing(client, home):
    a_campaign(home)
    client.force_login(StaffFactory())

    html = client.get(reverse("wagtailadmin_home")).text

    for name in (
        "wagtailsnippets_quizzes_quiz:list",
        "wagtailsnippets_submissions_contest:list",
        "vote_monitoring:index",
        "wagtailsnippets_content_video:list",
        "quiz_prizes_admin:index",
        "reach_admin:poster_report",
    ):
        assert f'<p><a href="{reverse(name)}">' in html


def test_the_dashboard_costs_the_same_queries_however_big_the_campaign(client, home):
    client.force_login(StaffFactory())

    def queries() -> int:
        client.get(reverse("wagtailadmin_home"))  # sessions, sites and menus warmed up
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("wagtailadmin_home")).status_code == 200
        return len(captured)

    a_campaign(home)
    small = queries()
    a_campaign(home, scale=3, start=10)
    large = queries()

    assert large == small
    assert small <= QUERY_BUDGET
