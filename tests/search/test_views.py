"""The search page: results, facets, filters, sorting, pages, odd input and fallback."""

import socket

import pytest
from django.urls import reverse

from search import query_log
from tests.search.site_helpers import days_ago, doc, embedded_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

URL = "/search/"


def get(client, **params):
    return client.get(URL, params)


def result_urls(response) -> list[str]:
    return [hit.url for hit in response.context["results"].hits]


@pytest.fixture
def library(embedded):
    embedded.index(
        [
            doc(
                "page:1",
                "流感疫苗接种指南",
                body="每年秋季接种流感疫苗。",
                topics=("防疫",),
                date=days_ago(2),
            ),
            doc(
                "page:2",
                "流感的预防视频",
                kind="video",
                body="勤洗手，常通风，预防流感。",
                topics=("健康",),
                date=days_ago(60),
            ),
            doc(
                "page:3",
                "流感知识竞答",
                kind="quiz",
                summary="答题了解流感。",
                topics=("防疫",),
                date=days_ago(400),
            ),
        ]
    )
    return embedded


def test_the_search_url_keeps_its_name():
    assert reverse("search") == URL
    assert reverse("search_suggest") == "/search/suggest/"


def test_results_have_highlighted_snippets_and_titles(client, library):
    response = get(client, q="流感疫苗")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>" in html
    assert 'href="/page-1/"' in html
    assert result_urls(response)[0] == "/page-1/"


def test_type_and_topic_facets_filter_and_keep_the_other_filters(client, library):
    response = get(client, q="流感")
    facets = response.context["facets"]
    kinds = {str(facet["label"]): facet for facet in facets["kinds"]}
    topics = {facet["label"]: facet for facet in facets["topics"]}

    assert response.context["results"].total == 3
    assert kinds["视频"]["count"] == 1
    assert topics["防疫"]["count"] == 2

    by_topic = client.get(URL + topics["防疫"]["url"])
    assert sorted(result_urls(by_topic)) == ["/page-1/", "/page-3/"]
    quiz_facet = next(
        f for f in by_topic.context["facets"]["kinds"] if str(f["label"]) == "知识竞答"
    )
    assert "topic=" in quiz_facet["url"] and "q=" in quiz_facet["url"]

    both = client.get(URL + quiz_facet["url"])
    assert result_urls(both) == ["/page-3/"]


def test_date_ranges_and_explicit_dates_filter_results(client, library):
    assert result_urls(get(client, q="流感", range="week")) == ["/page-1/"]
    assert sorted(result_urls(get(client, q="流感", range="year"))) == ["/page-1/", "/page-2/"]
    old = get(client, q="流感", to=days_ago(300).date().isoformat())
    assert result_urls(old) == ["/page-3/"]


def test_sorting_by_date_puts_the_newest_first(client, library):
    response = get(client, q="流感", sort="date")

    assert result_urls(response) == ["/page-1/", "/page-2/", "/page-3/"]


def test_results_come_in_pages(client, embedded):
    embedded.index([doc(f"page:{n}", f"航天知识第{n}讲", date=days_ago(n)) for n in range(1, 26)])

    first = get(client, q="航天", sort="date")
    third = get(client, q="航天", sort="date", page="3")

    assert first.context["results"].total == 25
    assert len(first.context["results"].hits) == 10
    assert first.context["pages"] == 3
    assert len(third.context["results"].hits) == 5
    html = third.content.decode()
    assert 'rel="prev"' in html and 'rel="next"' not in html
    previous = third.context["previous_url"]
    assert "page=2" in previous and "sort=date" in previous
    assert set(result_urls(first)).isdisjoint(result_urls(third))


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"page": "abc"}, "页"),
        ({"page": "999"}, "页"),
        ({"page": "-1"}, "页"),
        ({"kind": "secret"}, "类型"),
        ({"from": "2026-13-45"}, "日期"),
        ({"from": "2026-05-01", "to": "2026-01-01"}, "日期"),
        ({"range": "century"}, "时间"),
        ({"sort": "random"}, "相关"),
    ],
)
def test_bad_parameters_are_ignored_with_a_message(client, library, params, notice):
    response = get(client, q="流感", **params)

    assert response.status_code == 200
    assert response.context["results"].total >= 1
    notices = " ".join(str(n) for n in response.context["notices"])
    assert notice in notices


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "流" * 10_000,
        '"*:~^()[]{}\\',
        "AND OR NOT",
        "🦠🧪 疫苗 😷",
        "流感\x00疫苗",
        "<script>alert(1)</script>",
        "流感 kepu ＡＢＣ 123",
        "'; DROP TABLE search; --",
    ],
)
def test_hostile_queries_answer_200(client, library, query):
    response = get(client, q=query)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html


def test_a_very_long_query_is_shortened_with_a_message(client, library):
    response = get(client, q="流感" * 5000)

    assert response.status_code == 200
    assert len(response.context["query"]) == 100
    assert any("100" in str(n) for n in response.context["notices"])


def test_an_empty_search_shows_popular_searches(client, embedded):
    query_log.record("流感疫苗", 3, "embedded")
    query_log.record("无结果的搜索", 0, "embedded")

    response = get(client)

    html = response.content.decode()
    assert response.status_code == 200
    assert "流感疫苗" in html
    assert "无结果的搜索" not in html


def test_no_results_suggest_a_close_successful_query(client, library):
    query_log.record("航天员", 4, "embedded")

    response = get(client, q="航天园")

    assert response.context["results"].total == 0
    assert response.context["did_you_mean"] == "航天员"
    assert "?q=%E8%88%AA%E5%A4%A9%E5%91%98" in response.content.decode()


def test_pinyin_with_no_results_suggests_the_title(client, embedded):
    embedded.index([doc("page:7", "科普日活动安排")])

    response = get(client, q="kprh")  # initials: no search token, but a suggest input

    assert response.context["results"].total == 0
    assert response.context["did_you_mean"] == "科普日活动安排"
    assert "/page-7/" in response.content.decode()


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_elasticsearch_falls_back_to_the_embedded_backend(client, library, settings):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{unused_port()}"

    response = get(client, q="流感疫苗")

    assert response.status_code == 200
    assert result_urls(response)[0] == "/page-1/"
    assert query_log.QueryLog.objects.get(query="流感疫苗").backend == "embedded"


def test_a_failed_elasticsearch_is_skipped_for_a_while(client, library, settings, caplog):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{unused_port()}"
    get(client, q="流感")
    caplog.clear()

    again = get(client, q="疫苗")

    assert result_urls(again) == ["/page-1/"]
    assert not [r for r in caplog.records if r.getMessage().startswith("search query failed")]


def test_searches_are_logged_anonymously_once_per_search(client, embedded):
    embedded.index([doc(f"page:{n}", f"流感疫苗问答第{n}期") for n in range(1, 16)])
    get(client, q="  流感  疫苗 ")
    get(client, q="流感 疫苗", page="2")
    get(client, q="我的电话13912345678")

    rows = list(query_log.QueryLog.objects.values("query", "searches", "backend"))
    assert rows == [{"query": "流感 疫苗", "searches": 1, "backend": "embedded"}]
    field_names = {field.name for field in query_log.QueryLog._meta.get_fields()}
    assert not field_names & {"user", "ip", "ip_address", "session", "created_at"}
