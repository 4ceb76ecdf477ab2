import pytest
from django.contrib.auth.models import Group

from competitions.voting.popularity import services
from competitions.voting.popularity.models import PopularityAuditLog, PopularityRule, ShareOpen
from tests.factories.users import UserFactory
from tests.factories.voting import VotingEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="竞赛组织者"))
    return user


def test_organisers_watch_share_opens_by_network_and_void_a_burst(client, organiser):
    entry = VotingEntryFactory()
    PopularityRule.objects.create(contest=entry.contest)
    for n in range(5):
        services.record_share_open(entry, ip=f"10.9.9.{n}", user_agent="curl/8")
    client.force_login(organiser)

    page = client.get(f"/admin/popularity/{entry.contest_id}/").content.decode()
    client.post(
        f"/admin/popularity/{entry.contest_id}/void/",
        {"ip_network": "10.9.9.0/24", "reason": "脚本刷分享"},
    )

    assert "10.9.9.0/24" in page
    assert ShareOpen.objects.filter(voided=True).count() == 5
    assert PopularityAuditLog.objects.get().reason == "脚本刷分享"


def test_voiding_without_a_filter_is_refused(client, organiser):
    entry = VotingEntryFactory()
    client.force_login(organiser)

    response = client.post(f"/admin/popularity/{entry.contest_id}/void/", {"reason": "x"})

    assert response.status_code == 400 and "请至少选择一个筛选条件" in response.content.decode()


def test_people_who_may_not_monitor_votes_get_a_403(client):
    entry = VotingEntryFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=False))

    response = client.get(f"/admin/popularity/{entry.contest_id}/")

    assert response.status_code in (302, 403)
