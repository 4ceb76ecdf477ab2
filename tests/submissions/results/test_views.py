"""The public results page and the online exhibition."""

import pytest
from django.urls import reverse

from tests.submissions.results.helpers import published_contest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("phase", ["submission", "review", "voting"])
def test_nothing_is_public_before_the_results_phase(client, phase):
    contest, entries, *_ = published_contest(phase=phase)

    for url in [
        reverse("contests:results", args=[contest.pk]),
        reverse("contests:exhibition", args=[contest.pk]),
        reverse("contests:exhibition_work", args=[contest.pk, entries[0].number]),
    ]:
        assert client.get(url).status_code == 404


def test_the_results_page_lists_awards_by_group_and_units_without_names(client):
    contest, entries, *_ = published_contest()

    response = client.get(reverse("contests:results", args=[contest.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "小学组" in html and "初中组" in html
    assert "一等奖" in html and "人气奖" in html
    assert entries[0].display_number in html and "作品1号读后感" in html
    assert "东城实验小学" in html
    assert "李同学" not in html and "李*" not in html
    # Not awarded and not chosen: not on the award list.
    assert "作品4号读后感" not in html


def test_the_exhibition_shows_awarded_and_chosen_works(client):
    contest, _entries, *_ = published_contest()

    html = client.get(reverse("contests:exhibition", args=[contest.pk])).content.decode()

    for number in range(1, 6):
        assert f"作品{number}号读后感" in html
    assert "李同学" not in html


def test_the_exhibition_filters_by_group_and_award(client):
    contest, _entries, first, second = published_contest()
    primary, middle = contest.groups.order_by("sort_order")
    url = reverse("contests:exhibition", args=[contest.pk])

    def titles(**params):
        html = client.get(url, params).content.decode()
        return {n for n in range(1, 6) if f"作品{n}号读后感" in html}

    assert titles(group=middle.pk) == {5}
    assert titles(award=first.pk) == {1, 5}
    assert titles(group=primary.pk, award=first.pk) == {1}
    assert titles(award=second.pk) == {2}
    assert titles(award="popularity") == {3}
    assert titles(award="chosen") == {4}


def test_an_unknown_filter_shows_everything_with_a_message(client):
    contest, *_ = published_contest()

    response = client.get(reverse("contests:exhibition", args=[contest.pk]), {"group": "abc"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "作品5号读后感" in html and "作品1号读后感" in html


def test_each_exhibited_work_has_its_own_page_and_others_do_not(client):
    contest, _entries, *_ = published_contest()
    from competitions.submissions.models import ExhibitedEntry

    ExhibitedEntry.objects.all().delete()

    ok = client.get(reverse("contests:exhibition_work", args=[contest.pk, 1]))
    hidden = client.get(reverse("contests:exhibition_work", args=[contest.pk, 4]))

    assert ok.status_code == 200
    assert "作品1号读后感" in ok.content.decode() and "一等奖" in ok.content.decode()
    assert "李同学" not in ok.content.decode()
    assert hidden.status_code == 404


def test_works_without_display_consent_stay_off_public_pages(client):
    from competitions.submissions.models import AwardLevel
    from competitions.submissions.results.awards import publish_results
    from tests.factories.contests import ContestFactory, EntryFactory

    contest = ContestFactory(phase="exhibition", expert_weight=100, popularity_award=False)
    AwardLevel.objects.create(contest=contest, name="一等奖", count=2)
    shown = EntryFactory(contest=contest, title="公开的作品")
    hidden = EntryFactory(
        contest=contest, group=shown.group, title="未授权的作品", display_consent=False
    )
    publish_results(contest, {shown.pk: 90, hidden.pk: 95}, {})

    results = client.get(f"/contest/{contest.pk}/results/").content.decode()
    exhibition = client.get(f"/contest/{contest.pk}/exhibition/").content.decode()

    assert "公开的作品" in results and "未授权的作品" not in results
    assert "公开的作品" in exhibition and "未授权的作品" not in exhibition
    assert client.get(f"/contest/{contest.pk}/exhibition/{hidden.number}/").status_code == 404
