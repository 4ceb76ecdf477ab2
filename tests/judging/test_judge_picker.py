"""competitions/judging/judge_picker.py: panels and profiles pick judges by searching."""

import pytest
from django.urls import reverse

from competitions.judging.models import JudgingPanel
from tests.factories.contests import EntryFactory
from tests.factories.judging import JudgeFactory, JudgingRoundFactory
from tests.factories.organisers import OrganiserFactory
from tests.factories.users import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client):
    user = OrganiserFactory()
    client.force_login(user)
    return user


def test_the_search_offers_adults_and_never_pupils(client, organiser):
    UserFactory(display_name="林教授")
    ChildFactory(display_name="林小朋友")

    response = client.get(reverse("judging_admin:judge_search"), {"q": "林"})

    labels = [row["label"] for row in response.json()["results"]]
    assert len(labels) == 1 and labels[0].startswith("林教授")


def test_entrants_of_the_contest_are_not_offered(client, organiser):
    entry = EntryFactory(author=UserFactory(display_name="林家长"))
    UserFactory(display_name="林教授")

    response = client.get(
        reverse("judging_admin:judge_search"), {"q": "林", "contest": entry.contest_id}
    )

    assert [row["label"][:3] for row in response.json()["results"]] == ["林教授"]


def test_strangers_cannot_search_accounts(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("judging_admin:judge_search"), {"q": "a"})

    assert response.status_code in (302, 403)


def test_the_panel_form_lists_no_accounts_and_refuses_a_pupil(client, organiser):
    round = JudgingRoundFactory()
    pupil = EntryFactory(contest=round.contest).author
    pupil.display_name = "参赛学生"
    pupil.save()
    expert = UserFactory(display_name="方研究员")
    add = reverse("wagtailsnippets_judging_judgingpanel:add")

    form = client.get(add).text
    refused = client.post(
        add, {"round": round.pk, "group": round.contest.groups.first().pk, "judges": [pupil.pk]}
    )
    accepted = client.post(
        add, {"round": round.pk, "group": round.contest.groups.first().pk, "judges": [expert.pk]}
    )

    assert "参赛学生" not in form and "方研究员" not in form  # nothing listed before a search
    assert "不能担任评委" in refused.text
    assert accepted.status_code == 302
    assert list(JudgingPanel.objects.get().judges.all()) == [expert]


def test_a_judge_profile_shows_its_account_and_refuses_a_pupil(client, organiser):
    expert = UserFactory(display_name="秦编审")
    profile = JudgeFactory(user=expert)
    pupil = ChildFactory()
    edit = reverse("wagtailsnippets_judging_judge:edit", args=[profile.pk])

    form = client.get(edit).text
    refused = client.post(edit, {"user": pupil.pk, "school": ""})

    assert "秦编审" in form
    assert "这个账户不能担任评委" in refused.text
    profile.refresh_from_db()
    assert profile.user == expert
