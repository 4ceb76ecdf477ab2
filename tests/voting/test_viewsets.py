import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from competitions.voting import monitoring, services
from competitions.voting.models import Vote, VoteAuditLog
from tests.factories.contests import EntryFactory
from tests.factories.users import UserFactory
from tests.factories.voting import VoterFactory, VotingContestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    user = UserFactory()
    user.groups.add(Group.objects.get(name="竞赛组织者"))
    return user


@pytest.fixture
def contest_with_votes():
    """Entry A: 3 votes from one /24 (one by a brand-new account); entry B: 1 vote."""
    contest = VotingContestFactory()
    a, b = EntryFactory.create_batch(2, contest=contest)
    fresh = VoterFactory(date_joined=timezone.now() - datetime.timedelta(hours=1))
    for number, voter in enumerate([VoterFactory(), VoterFactory(), fresh], start=1):
        services.cast_vote(a, voter, ip=f"203.0.113.{number}")
    services.cast_vote(b, VoterFactory(), ip="198.51.100.7")
    return contest, a, b


def test_figures_show_velocity_networks_and_new_accounts(contest_with_votes):
    contest, a, b = contest_with_votes

    figures = {row.entry_id: row for row in monitoring.entry_figures(contest)}
    networks = monitoring.top_networks(contest)

    assert figures[a.pk].votes == 3 and figures[a.pk].last_10_minutes == 3
    assert figures[a.pk].peak_10_minutes == 3 and figures[a.pk].new_account_percent == 33
    assert figures[b.pk].new_account_percent == 0
    assert networks[0] == {"ip_network": "203.0.113.0/24", "votes": 3, "voters": 3, "entries": 1}
    assert monitoring.new_account_share(contest) == 25


def test_organisers_see_the_monitoring_page(client, organiser, contest_with_votes):
    contest, a, _b = contest_with_votes
    client.force_login(organiser)

    index = client.get(reverse("vote_monitoring:index"))
    page = client.get(reverse("vote_monitoring:contest", args=[contest.pk]))

    assert index.status_code == 200 and contest.title in index.content.decode()
    html = page.content.decode()
    assert page.status_code == 200
    assert "203.0.113.0/24" in html and a.title in html
    assert '203.0.113.1"' not in html and "203.0.113.1<" not in html


def test_others_may_not_see_or_void(client, contest_with_votes):
    contest, _a, _b = contest_with_votes
    url = reverse("vote_monitoring:contest", args=[contest.pk])
    void_url = reverse("vote_monitoring:void", args=[contest.pk])

    assert client.get(url).status_code == 302  # to the admin sign-in
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="编辑"))
    client.force_login(editor)
    assert client.get(url).status_code == 403
    response = client.post(void_url, {"entry_number": 1, "reason": "刷票"})
    assert response.status_code == 403
    assert not Vote.objects.filter(voided=True).exists()


def test_voiding_by_network_updates_counts_and_the_audit_log(client, organiser, contest_with_votes):
    contest, a, b = contest_with_votes
    client.force_login(organiser)

    response = client.post(
        reverse("vote_monitoring:void", args=[contest.pk]),
        {"ip_network": "203.0.113.0/24", "new_accounts_only": "on", "reason": "新注册账号集中投票"},
    )

    assert response.status_code == 302
    assert services.entry_count(a) == 2 and services.entry_count(b) == 1
    record = VoteAuditLog.objects.get()
    assert record.actor == organiser and record.votes_affected == 1
    assert record.criteria == {"ip_network": "203.0.113.0/24", "new_accounts_only": True}
    assert record.reason == "新注册账号集中投票"
    page = client.get(reverse("vote_monitoring:contest", args=[contest.pk])).content.decode()
    assert "新注册账号集中投票" in page


@pytest.mark.parametrize(
    "data",
    [{"entry_number": "1"}, {"reason": "刷票"}, {"day": "not a day", "reason": "刷票"}],
)
def test_bad_void_requests_change_nothing(client, organiser, contest_with_votes, data):
    contest, _a, _b = contest_with_votes
    client.force_login(organiser)

    response = client.post(reverse("vote_monitoring:void", args=[contest.pk]), data)

    assert response.status_code == 400
    assert not Vote.objects.filter(voided=True).exists()
    assert not VoteAuditLog.objects.exists()
    html = response.content.decode()
    assert "请填写作废原因" in html or "请至少选择一个条件" in html or "日期" in html


def test_organisers_keep_the_shortlist_in_the_admin(client, organiser, contest_with_votes):
    contest, a, _b = contest_with_votes
    client.force_login(organiser)

    listing = client.get(reverse("wagtailsnippets_voting_shortlist:list"))
    added = client.post(
        reverse("wagtailsnippets_voting_shortlist:add"), {"contest": contest.pk, "entry": a.pk}
    )

    assert listing.status_code == 200
    assert added.status_code == 302
    assert list(services.votable_entries(contest)) == [a]


def test_an_entry_of_another_contest_cannot_be_shortlisted(client, organiser, contest_with_votes):
    contest, _a, _b = contest_with_votes
    stranger = EntryFactory()
    client.force_login(organiser)

    response = client.post(
        reverse("wagtailsnippets_voting_shortlist:add"),
        {"contest": contest.pk, "entry": stranger.pk},
    )

    assert response.status_code == 200
    assert "属于另一个征集活动" in response.content.decode()
    assert list(services.votable_entries(contest)) != [stranger]


def test_the_networks_of_one_entry_can_be_shown(client, organiser, contest_with_votes):
    contest, _a, b = contest_with_votes
    client.force_login(organiser)
    url = reverse("vote_monitoring:contest", args=[contest.pk])

    html = client.get(url, {"entry": b.number}).content.decode()

    assert "198.51.100.0/24" in html and "203.0.113.0/24" not in html
    assert client.get(url, {"entry": "nonsense"}).status_code == 200


def test_the_audit_log_reads_as_sentences_not_raw_data(client, organiser, contest_with_votes):
    contest, *_ = contest_with_votes
    client.force_login(organiser)
    client.post(
        reverse("vote_monitoring:void", args=[contest.pk]),
        {"ip_network": "203.0.113.0/24", "new_accounts_only": "on", "reason": "集中投票"},
    )
    organiser.delete()  # the record outlives the account
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(reverse("vote_monitoring:contest", args=[contest.pk])).content.decode()

    audit = page.rsplit("</table>", 2)[-2]  # the last table: the audit log
    row = audit.split("集中投票", 1)[0].rsplit("<tr>", 1)[1] + audit.split("集中投票", 1)[1]
    assert "网段：203.0.113.0/24；仅限注册不满一天的账号所投的票" in row
    assert "（账户已删除）" in row
    assert "None" not in audit and "{&#x27;" not in audit and "{'" not in audit


def test_the_dashboard_flags_a_network_and_brand_new_accounts(settings, contest_with_votes):
    settings.KEPU_VOTING_ATTENTION_MIN_VOTES = 4
    settings.KEPU_VOTING_ATTENTION_NEW_ACCOUNT_PERCENT = 25
    settings.KEPU_VOTING_ATTENTION_NETWORK_VOTES = 3
    contest, *_ = contest_with_votes
    calm = VotingContestFactory()

    attention = {item.contest: item for item in monitoring.voting_attention()}

    flagged = attention[contest]
    assert flagged.votes == 4 and flagged.new_account_percent == 25
    assert flagged.new_accounts_flagged and flagged.busy_networks == [("203.0.113.0/24", 3)]
    assert not attention[calm].flagged
    assert next(iter(attention)) == contest  # flagged first
