"""The results admin: the contest results desk (preview the awards, publish them, request and
list exports); the exhibition snippet and export downloads need permissions."""

import pytest
from django.urls import reverse

from competitions.judging.models import EntryResult
from competitions.submissions.models import AwardLevel, ContestExport, EntryAward, ExhibitedEntry
from competitions.submissions.results import exports
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.judging import JudgingRoundFactory
from tests.factories.users import StaffFactory, UserFactory
from tests.submissions.results.helpers import published_contest

pytestmark = pytest.mark.django_db


@pytest.fixture
def judged_contest():
    """One group, 一等奖 ×1: entry #2 has the higher final score."""
    contest = ContestFactory(phase="review", expert_weight=100, popularity_award=False)
    AwardLevel.objects.create(contest=contest, name="一等奖", count=1)
    group = contest.groups.first()
    low = EntryFactory(contest=contest, group=group, number=1)
    high = EntryFactory(contest=contest, group=group, number=2)
    judging_round = JudgingRoundFactory(contest=contest, number=1)
    EntryResult.objects.create(round=judging_round, entry=low, mean=71, trimmed_mean=71)
    EntryResult.objects.create(round=judging_round, entry=high, mean=88, trimmed_mean=88)
    return contest, low, high


def desk(contest):
    return reverse("contest_results_admin:contest", args=[contest.pk])


def test_the_desk_previews_the_awards_without_publishing(client, judged_contest):
    contest, _low, high = judged_contest
    client.force_login(StaffFactory())

    response = client.get(desk(contest))

    assert response.status_code == 200
    row = response.text.split(high.display_number, 1)[1].split("</tr>", 1)[0]
    assert "一等奖" in row and "88.00" in row
    assert not EntryAward.objects.filter(contest=contest).exists()


def test_publishing_from_the_desk_is_idempotent(client, judged_contest):
    contest, _low, high = judged_contest
    client.force_login(StaffFactory())

    first = client.post(reverse("contest_results_admin:publish", args=[contest.pk]))
    client.post(reverse("contest_results_admin:publish", args=[contest.pk]))

    assert first.status_code == 302
    awards = EntryAward.objects.filter(contest=contest)
    assert [(a.entry_id, a.level.name) for a in awards] == [(high.pk, "一等奖")]


def test_an_export_requested_on_the_desk_is_built_and_listed(
    client, judged_contest, django_capture_on_commit_callbacks
):
    contest, *_ = judged_contest
    client.force_login(StaffFactory())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contest_results_admin:export", args=[contest.pk]))

    assert response.status_code == 302
    export = ContestExport.objects.get(contest=contest)
    assert export.status == ContestExport.Status.READY
    assert export.results["scores"] == {
        str(e.entry_id): float(e.mean) for e in EntryResult.objects.all()
    }
    listing = client.get(desk(contest))
    assert reverse("contest_export_download", args=[export.pk]) in listing.text
    assert "可下载" in listing.text  # a spreadsheet's status, not a video's ("可播放")


def test_only_organisers_reach_the_desk(client, judged_contest):
    contest, *_ = judged_contest
    for user in (UserFactory(is_staff=True), UserFactory()):
        client.force_login(user)
        assert client.get(desk(contest)).status_code in (302, 403)
        response = client.post(reverse("contest_results_admin:publish", args=[contest.pk]))
        assert response.status_code in (302, 403)
        assert client.post(
            reverse("contest_results_admin:export", args=[contest.pk])
        ).status_code in (302, 403)
    assert not EntryAward.objects.exists()
    assert not ContestExport.objects.exists()


def test_the_contest_listing_links_to_the_desk(client, judged_contest):
    contest, *_ = judged_contest
    client.force_login(StaffFactory())

    listing = client.get(reverse("wagtailsnippets_submissions_contest:list"))

    assert desk(contest) in listing.text


def test_the_desk_refuses_to_publish_while_entries_are_open_and_says_why(client):
    contest = ContestFactory(phase="submission")
    AwardLevel.objects.create(contest=contest, name="一等奖", count=1)
    client.force_login(StaffFactory())

    page = client.get(desk(contest)).text
    response = client.post(reverse("contest_results_admin:publish", args=[contest.pk]), follow=True)

    assert "仍在征集作品" in page
    assert '<button class="button" disabled>发布这些奖项</button>' in page
    assert "仍在征集作品" in response.text
    assert not EntryAward.objects.filter(contest=contest).exists()


# --- the exhibition snippet and export downloads ---------------------------------------------


@pytest.fixture
def ready_export(django_capture_on_commit_callbacks):
    contest, *_ = published_contest()
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(contest, StaffFactory())
    export.refresh_from_db()
    assert export.status == ContestExport.Status.READY
    return export


def test_an_organiser_downloads_the_export(client, ready_export):
    client.force_login(StaffFactory())

    response = client.get(reverse("contest_export_download", args=[ready_export.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_others_may_not_download_the_export(client, ready_export):
    url = reverse("contest_export_download", args=[ready_export.pk])
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code in (302, 403)
    client.force_login(UserFactory())
    assert client.get(url).status_code in (302, 403)


def test_an_organiser_lists_and_adds_exhibited_entries(client):
    _contest, entries, *_ = published_contest()
    client.force_login(StaffFactory())
    index = reverse("wagtailsnippets_submissions_exhibitedentry:list")
    add = reverse("wagtailsnippets_submissions_exhibitedentry:add")

    assert client.get(index).status_code == 200
    response = client.post(add, {"entry": entries[1].pk, "note": "构思新颖"})

    assert response.status_code == 302
    assert ExhibitedEntry.objects.filter(entry=entries[1], note="构思新颖").exists()


def test_people_without_permission_cannot_open_the_exhibition_admin(client):
    client.force_login(UserFactory())

    response = client.get(reverse("wagtailsnippets_submissions_exhibitedentry:list"))

    assert response.status_code in (302, 403)
