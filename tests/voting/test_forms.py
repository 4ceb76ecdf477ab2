"""The shortlist form offers only the chosen contest's entries that can take votes."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from competitions.voting.models import Shortlist
from tests.factories.contests import EntryFactory
from tests.factories.users import UserFactory
from tests.factories.voting import VotingContestFactory

pytestmark = pytest.mark.django_db

ADD = "wagtailsnippets_voting_shortlist:add"


@pytest.fixture
def organiser(client):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="竞赛组织者"))
    client.force_login(user)
    return user


def offered_entries(html: str) -> set[str]:
    select = re.search(r'<select name="entry".*?</select>', html, re.S).group(0)
    return set(re.findall(r'<option value="(\d+)"', select))


def test_the_form_offers_only_the_chosen_contests_submitted_entries(client, organiser):
    contest = VotingContestFactory()
    own = EntryFactory(contest=contest)
    EntryFactory(contest=contest, status="draft", number=None, submitted_at=None)
    withdrawn = EntryFactory(contest=contest, status="withdrawn")
    foreign = EntryFactory()

    html = client.get(reverse(ADD), {"contest": contest.pk}).content.decode()

    assert offered_entries(html) == {str(own.pk)}
    assert str(foreign.pk) not in offered_entries(html)
    assert str(withdrawn.pk) not in offered_entries(html)


def test_without_a_contest_no_entry_is_offered(client, organiser):
    EntryFactory()

    html = client.get(reverse(ADD)).content.decode()

    assert offered_entries(html) == set()


def test_choosing_only_the_contest_shows_its_entries_and_saves_nothing(client, organiser):
    contest = VotingContestFactory()
    own = EntryFactory(contest=contest)
    EntryFactory()

    response = client.post(reverse(ADD), {"contest": contest.pk, "entry": ""})

    assert response.status_code == 200
    assert offered_entries(response.content.decode()) == {str(own.pk)}
    assert not Shortlist.objects.exists()


def test_an_entry_already_shortlisted_is_not_offered_again(client, organiser):
    contest = VotingContestFactory()
    first, second = EntryFactory.create_batch(2, contest=contest)
    Shortlist.objects.create(contest=contest, entry=first)

    html = client.get(reverse(ADD), {"contest": contest.pk}).content.decode()

    assert offered_entries(html) == {str(second.pk)}


@pytest.mark.parametrize(
    ("entry_kind", "message"),
    [("foreign", "属于另一个征集活动"), ("withdrawn", "只有已提交的作品")],
)
def test_a_posted_entry_the_form_did_not_offer_is_refused_clearly(
    client, organiser, entry_kind, message
):
    contest = VotingContestFactory()
    entry = (
        EntryFactory()
        if entry_kind == "foreign"
        else EntryFactory(contest=contest, status="withdrawn")
    )

    response = client.post(reverse(ADD), {"contest": contest.pk, "entry": entry.pk})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Shortlist.objects.exists()


def test_a_nonexistent_entry_is_refused_without_an_error_page(client, organiser):
    contest = VotingContestFactory()

    response = client.post(reverse(ADD), {"contest": contest.pk, "entry": "999999"})

    assert response.status_code == 200
    assert not Shortlist.objects.exists()


def test_people_without_the_permission_cannot_open_the_form(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse(ADD))

    assert response.status_code in (302, 403)
    assert not Shortlist.objects.exists()


def test_the_contests_monitoring_page_links_to_its_shortlist_form(client, organiser):
    contest = VotingContestFactory()

    html = client.get(reverse("vote_monitoring:contest", args=[contest.pk])).content.decode()

    assert f"{reverse(ADD)}?contest={contest.pk}" in html
