"""competitions/judging/entry_actions.py: "assign to judges" on the entries listing."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from competitions.judging.models import Assignment
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.judging import JudgeFactory, JudgingRoundFactory
from tests.factories.organisers import OrganiserFactory
from tests.factories.quizzes import UnitFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def assign_url(*entries) -> str:
    query = urlencode([("id", entry.pk) for entry in entries])
    return reverse("wagtail_bulk_action", args=["submissions", "entry", "assign_judges"]) + (
        "?" + query
    )


@pytest.fixture
def organiser(client):
    user = OrganiserFactory()
    client.force_login(user)
    return user


def test_chosen_entries_go_to_chosen_judges(client, organiser):
    round = JudgingRoundFactory()
    first, second = (EntryFactory(contest=round.contest) for _ in range(2))
    lin, gao = UserFactory(display_name="林教授"), UserFactory(display_name="高老师")

    page = client.get(assign_url(first, second))
    response = client.post(
        assign_url(first, second), {"round": round.pk, "judges": [lin.pk, gao.pk]}, follow=True
    )

    assert "分配给评委" in page.text and first.display_number in page.text
    assert "已创建 4 条评审分配" in response.text
    assert Assignment.objects.filter(round=round).count() == 4


def test_a_conflict_of_interest_is_refused_and_nothing_assigned(client, organiser):
    school = UnitFactory(name="南湖区实验小学")
    round = JudgingRoundFactory()
    entry = EntryFactory(contest=round.contest, school=school)
    teacher = JudgeFactory(school=school, user=UserFactory(display_name="韩老师")).user

    response = client.post(assign_url(entry), {"round": round.pk, "judges": [teacher.pk]})

    assert response.status_code == 200
    assert "韩老师 与作品" in response.text and "同一学校" in response.text
    assert not Assignment.objects.exists()


def test_entries_of_two_contests_cannot_be_assigned_together(client, organiser):
    round = JudgingRoundFactory()
    here, elsewhere = EntryFactory(contest=round.contest), EntryFactory(contest=ContestFactory())

    page = client.get(assign_url(here, elsewhere))

    assert "请只选择同一个征集活动的作品" in page.text
