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
