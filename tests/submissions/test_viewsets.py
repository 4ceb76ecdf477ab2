"""The 作品征集 admin: organisers manage contests and see entries with authors masked."""

import pytest
from django.contrib.auth.models import Group

from competitions.submissions.models import Contest
from tests.factories.contests import ContestFactory, EntryFactory, phase_dates
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

CONTESTS = "/admin/snippets/submissions/contest/"
ENTRIES = "/admin/snippets/submissions/entry/"


@pytest.fixture
def organiser_client(client):
    user = UserFactory(is_staff=False)
    user.groups.add(Group.objects.get(name="竞赛组织者"))
    client.force_login(user)
    return client


def test_organisers_get_contest_and_entry_permissions():
    codenames = set(
        Group.objects.get(name="竞赛组织者").permissions.values_list("codename", flat=True)
    )
    assert {"add_contest", "change_contest", "view_entry", "view_entryfile"} <= codenames
    assert "change_entry" not in codenames
    assert "delete_entry" not in codenames


def test_entries_listing_hides_authors(organiser_client):
    author = UserFactory(display_name="张小明", username="zhangxiaoming")
    entry = EntryFactory(author=author, teacher="李老师", title="读《海底两万里》有感")
    html = organiser_client.get(ENTRIES, {"contest": entry.contest_id}).content.decode()
    assert entry.display_number in html
    assert "读《海底两万里》有感" in html
    assert "张小明" not in html and "zhangxiaoming" not in html and "李老师" not in html
    assert organiser_client.get(f"{ENTRIES}edit/{entry.pk}/").status_code in (302, 403)


def test_contests_listing_links_to_entries(organiser_client):
    contest = ContestFactory(title="科学家精神短视频征集")
    EntryFactory(contest=contest)
    html = organiser_client.get(CONTESTS).content.decode()
    assert "科学家精神短视频征集" in html
    assert f"{ENTRIES}?contest={contest.pk}" in html


def test_organisers_create_a_contest_with_groups(organiser_client):
    dates = {k: v.strftime("%Y-%m-%d %H:%M") for k, v in phase_dates("upcoming").items()}
    data = {
        "title": "家庭实验挑战",
        "entry_kinds": ["video", "image"],
        "max_words": 3000,
        "max_files": 5,
        "max_file_mb": 50,
        **dates,
        "judges_per_entry": 3,
        "votes_per_day": 5,
        "expert_weight": 80,
        "groups-TOTAL_FORMS": 1,
        "groups-INITIAL_FORMS": 0,
        "groups-MIN_NUM_FORMS": 1,
        "groups-MAX_NUM_FORMS": 1000,
        "groups-0-name": "小学组",
        "groups-0-ORDER": 1,
        "award_levels-TOTAL_FORMS": 0,
        "award_levels-INITIAL_FORMS": 0,
        "award_levels-MIN_NUM_FORMS": 0,
        "award_levels-MAX_NUM_FORMS": 1000,
    }
    response = organiser_client.post(f"{CONTESTS}add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    contest = Contest.objects.get(title="家庭实验挑战")
    assert contest.entry_kinds == ["image", "video"] or contest.entry_kinds == ["video", "image"]
    assert list(contest.groups.values_list("name", flat=True)) == ["小学组"]


def test_other_staff_cannot_open_contests(client):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="编辑"))
    client.force_login(user)
    assert client.get(CONTESTS).status_code in (302, 403)
    assert client.get(ENTRIES).status_code in (302, 403)
