"""The popularity ranking is recounted by one request at a time, the others see the last one."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories.contests import EntryFactory
from tests.factories.users import UserFactory
from tests.factories.voting import VoterFactory, VotingContestFactory

pytestmark = pytest.mark.django_db


def vote(client, entry):
    client.force_login(VoterFactory())
    client.post(reverse("voting:vote", args=[entry.contest_id, entry.number]))
    client.force_login(UserFactory())


@pytest.fixture
def setup(client, settings):
    settings.KEPU_VOTING_RANKING_CACHE_SECONDS = 5
    contest = VotingContestFactory()
    first, second = EntryFactory.create_batch(2, contest=contest, title="作品")
    first.title, second.title = "甲作品", "乙作品"
    first.save()
    second.save()
    vote(client, first)
    url = reverse("voting:ranking", args=[contest.pk])
    return contest, first, second, url


def order(html):
    return "甲" if html.index("甲作品") < html.index("乙作品") else "乙"


def test_fresh_rows_are_served_without_recounting(client, setup):
    _contest, _first, second, url = setup
    assert order(client.get(url).content.decode()) == "甲"
    vote(client, second)
    vote(client, second)

    assert order(client.get(url).content.decode()) == "甲"  # within the cache's lifetime


def _age(contest, seconds):
    key = f"voting:ranking:{contest.pk}:0"
    cached = cache.get(key)
    cached["at"] -= seconds
    cache.set(key, cached, 60)
    return key


def test_stale_rows_are_recounted_by_the_request_that_takes_the_lock(client, setup):
    contest, _first, second, url = setup
    client.get(url)
    vote(client, second)
    vote(client, second)
    key = _age(contest, 6)

    assert order(client.get(url).content.decode()) == "乙"
    assert cache.get(key)["at"] > time.time() - 5
    assert cache.get(f"{key}:lock") is None


def test_while_another_request_recounts_the_previous_rows_are_served(client, setup):
    contest, _first, second, url = setup
    client.get(url)
    vote(client, second)
    vote(client, second)
    key = _age(contest, 6)
    cache.add(f"{key}:lock", 1, 30)  # another request is recounting

    assert order(client.get(url).content.decode()) == "甲"
    cache.delete(f"{key}:lock")
    assert order(client.get(url).content.decode()) == "乙"


def test_the_ranking_shows_one_page_of_entries_with_links_to_the_others(client, settings):
    from competitions.voting import views

    settings.KEPU_VOTING_RANKING_CACHE_SECONDS = 0
    contest = VotingContestFactory()
    entries = [EntryFactory(contest=contest, title=f"作品「{name}」") for name in "甲乙丙丁戊"]
    url = reverse("voting:ranking", args=[contest.pk])
    original = views.RANKING_PAGE_SIZE
    views.RANKING_PAGE_SIZE = 2
    try:
        first = client.get(url).content.decode()
        last = client.get(url, {"page": "3"}).content.decode()
        odd = client.get(url, {"page": "x"})
    finally:
        views.RANKING_PAGE_SIZE = original

    assert first.count('class="vote-ranking"') == 1
    assert sum(entry.title in first for entry in entries) == 2
    assert "第 1 页，共 3 页" in first and 'href="?page=2"' in first
    assert sum(entry.title in last for entry in entries) == 1 and 'href="?page=2"' in last
    assert odd.status_code == 200
