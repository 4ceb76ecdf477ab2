"""The results page's click beacon: which result of a logged search was opened, nothing else."""

import pytest
from django.test import Client

from search import query_log
from search.models import QueryLog
from tests.search.site_helpers import doc, embedded_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

URL = "/search/click/"


@pytest.fixture
def logged():
    query_log.record("流感 疫苗", 3, "embedded")
    return QueryLog.objects.get()


def click(client, q="流感 疫苗", position="1", backend="embedded"):
    return client.post(URL, {"q": q, "position": position, "backend": backend})


def test_clicks_count_the_first_result_apart_from_the_others(logged):
    client = Client(enforce_csrf_checks=True)  # a beacon carries no token

    assert click(client).status_code == 204
    assert click(client, q="流感   疫苗", position="3").status_code == 204

    logged.refresh_from_db()
    assert (logged.first_result_clicks, logged.other_result_clicks) == (1, 1)


@pytest.mark.parametrize(
    ("q", "position", "backend"),
    [
        ("从未搜索过", "1", "embedded"),
        ("流感 疫苗", "0", "embedded"),
        ("流感 疫苗", "11", "embedded"),
        ("流感 疫苗", "abc", "embedded"),
        ("流感 疫苗", "1", "elastic"),
        ("流感\x00疫苗" * 100, "1", "embedded"),
        # Found by the generative tests: PostgreSQL cannot compare a NUL byte (a 500).
        ("流感 疫苗", "1", "embedded\x00"),
        ("流感 疫苗", "1", "嵌入"),
        ("", "", ""),
    ],
)
def test_clicks_that_match_no_search_of_today_change_nothing(client, logged, q, position, backend):
    assert click(client, q, position, backend).status_code == 204

    logged.refresh_from_db()
    assert (logged.first_result_clicks, logged.other_result_clicks) == (0, 0)
    assert QueryLog.objects.count() == 1


def test_only_post_is_accepted(client, logged):
    assert client.get(URL, {"q": "流感 疫苗", "position": "1"}).status_code == 405


def test_clicks_beyond_the_limit_per_address_are_not_counted(client, logged, settings):
    settings.SEARCH_CLICKS_PER_MINUTE = 2
    for _ in range(4):
        assert click(client).status_code == 204

    logged.refresh_from_db()
    assert logged.first_result_clicks == 2


def test_the_results_page_carries_the_beacon(client, embedded):
    embedded.index([doc("page:1", "流感疫苗接种指南"), doc("page:2", "流感的预防")])

    html = client.get("/search/", {"q": "流感"}).content.decode()

    assert 'data-search-click="/search/click/"' in html
    assert 'data-query="流感"' in html
    assert 'data-backend="embedded"' in html
    assert 'data-position="1"' in html and 'data-position="2"' in html
