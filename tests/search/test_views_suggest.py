"""The suggestions endpoint: prefixes, pinyin, bounds, caching and the rate limit."""

import pytest

from tests.search.site_helpers import doc, embedded_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

URL = "/search/suggest/"


@pytest.fixture
def titles(embedded):
    embedded.index(
        [
            doc("page:1", "科普日活动安排", url="/kepu-day/"),
            doc("page:2", "科学防疫知识", url="/fangyi/"),
            doc("work:3", "蚂蚁王国观察记", kind="work", url="/contest/1/exhibition/3/"),
        ]
    )
    return embedded


def suggestions(client, q: str) -> list[dict]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["suggestions"]


def test_words_to_search_for_come_before_pages(client, titles):
    from search.suggestions import refresh_terms

    refresh_terms()
    found = suggestions(client, "kx")

    assert found[0] == {"title": "科协", "url": "/search/?q=%E7%A7%91%E5%8D%8F", "kind": "query"}
    assert {s["kind"] for s in found[1:]} <= {"query", "article", "work"}


def test_a_word_that_is_also_a_page_title_is_offered_as_the_page(client, embedded):
    from search.suggestions import refresh_terms

    embedded.index([doc("topic:1", "防疫", kind="topic", url="/topics/fangyi/")])
    refresh_terms()

    found = suggestions(client, "fangyi")

    assert {"title": "防疫", "url": "/topics/fangyi/", "kind": "topic"} in found
    assert not [s for s in found if s["title"] == "防疫" and s["kind"] == "query"]


def test_titles_are_suggested_by_prefix(client, titles):
    found = suggestions(client, "科普")

    assert {"title": "科普日活动安排", "url": "/kepu-day/", "kind": "article"} in found
    assert all(s["title"] != "蚂蚁王国观察记" for s in found)


def test_pinyin_in_full_and_initials_suggests_chinese_titles(client, titles):
    assert "科普日活动安排" in [s["title"] for s in suggestions(client, "kepu")]
    assert "科普日活动安排" in [s["title"] for s in suggestions(client, "kp")]


@pytest.mark.parametrize("q", ["", "   ", "\x00", '"*:~^()[]{}\\', "🦠", "科" * 10_000])
def test_odd_input_answers_a_bounded_list(client, titles, q):
    found = suggestions(client, q)

    assert isinstance(found, list) and len(found) <= 8


def test_suggestions_are_bounded(client, embedded):
    embedded.index([doc(f"page:{n}", f"天文观测第{n}期") for n in range(1, 30)])

    assert 1 <= len(suggestions(client, "天文")) <= 8


def test_suggestions_are_cached_briefly(client, titles):
    first = client.get(URL, {"q": "蚂蚁"})
    titles.clear()
    again = client.get(URL, {"q": "蚂蚁"})

    assert first.json() == again.json()
    assert [s["title"] for s in again.json()["suggestions"]] == ["蚂蚁王国观察记"]
    assert "max-age=60" in again["Cache-Control"]


def test_too_many_requests_from_one_address_are_refused(client, titles, settings):
    settings.SEARCH_SUGGEST_PER_MINUTE = 3
    for _ in range(3):
        assert client.get(URL, {"q": "科"}).status_code == 200

    refused = client.get(URL, {"q": "科"})

    assert refused.status_code == 429
    assert refused.json()["suggestions"] == []
    assert "请求" in refused.json()["error"]
    other = client.get(URL, {"q": "科"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
