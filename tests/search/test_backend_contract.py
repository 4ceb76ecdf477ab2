"""The shared behavioural suite: every backend finds the same documents for the same queries.

Parametrised by `backend_name` (tests/search/conftest.py): the embedded backend always (on
PostgreSQL, and again on SQLite in the sqlite pass), Elasticsearch when ELASTICSEARCH_URL is
set.
"""

import datetime

import pytest

from search.backends.base import SearchDocument, SearchQuery, SearchResults
from search.models import SynonymGroup
from tests.search.corpus import DOCUMENTS, at

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

HOSTILE_QUERIES = [
    "",
    "   ",
    "！？。，、；：“”（）",
    "🎉🔬🚀",
    'title:"科普" AND (疫苗 OR) NOT -+ ~2 ^3 * ? \\ / [1 TO 5] {a} ||&&',
    "\x00疫苗\x00",
    "疫" * 10_000,
    "Ｃｏｖｉｄ－１９疫苗",
    "' OR 1=1 --",
    'NEAR(疫苗 新冠) "unterminated',
    "\ud800",
    "科普 kepu 科學 ＡＢＣ ١٢٣",
]


@pytest.fixture
def indexed(backend):
    backend.index(DOCUMENTS)
    return backend


def found(backend, text, **kwargs):
    results = backend.search(SearchQuery(text=text, limit=50, **kwargs))
    return {hit.key for hit in results.hits}


def test_traditional_query_finds_simplified_text_and_the_reverse(indexed):
    assert found(indexed, "疫苗接種須知") == {"page:1"}
    assert found(indexed, "疫苗接種") == {"page:1", "page:4"}
    assert found(indexed, "新冠疫苗") == {"page:1"}
    assert found(indexed, "電腦") == {"page:2"}
    assert found(indexed, "电脑") == {"page:2"}


def test_two_character_words_find_every_document_that_has_them(indexed):
    assert found(indexed, "疫苗") == {"page:1", "page:4"}
    assert found(indexed, "科普") == {"quiz:1", "contest:1", "page:6"}
    assert found(indexed, "火星") == {"page:6"}


def test_every_word_of_a_query_must_match(indexed):
    assert found(indexed, "流感 疫苗") == {"page:4"}
    assert found(indexed, "疫苗的作用") == set()


def test_synonyms_expand_queries_without_reindexing(indexed):
    assert found(indexed, "新冠") == {"page:1"}

    SynonymGroup.objects.create(terms="新冠\n新型冠状病毒")
    SynonymGroup.objects.create(terms="科协，科学技术协会")

    assert found(indexed, "新冠") == {"page:1", "page:3"}
    assert found(indexed, "新型冠状病毒") == {"page:1", "page:3"}
    assert found(indexed, "科协") == {"quiz:1", "contest:1"}


def test_bigrams_find_exact_keywords_that_segmentation_splits_differently(indexed):
    from search import pipeline

    # jieba reads 乒乓球/拍卖, so 球拍 is no token of the document: only bigrams find it.
    assert "球拍" not in pipeline.tokens(DOCUMENTS[7].body)
    assert found(indexed, "球拍") == {"page:5"}


def test_title_matches_rank_above_body_matches(indexed):
    results = indexed.search(SearchQuery(text="疫苗"))
    assert [hit.key for hit in results.hits][:2] in (["page:1", "page:4"], ["page:4", "page:1"])
    assert all(hit.score > 0 for hit in results.hits)
    results = indexed.search(SearchQuery(text="火星"))
    assert results.hits[0].key == "page:6"


def test_facets_count_kinds_and_topics_over_all_matches(indexed):
    results = indexed.search(SearchQuery(text="科普", kinds=("article",), limit=1))
    assert results.facets["kind"] == {"quiz": 1, "contest": 1, "article": 1}
    assert results.facets["topic"] == {"科普": 3, "航天": 1}
    assert results.total == 1
    assert [hit.key for hit in results.hits] == ["page:6"]


def test_topic_filter(indexed):
    results = indexed.search(SearchQuery(text="疫苗", topics=("健康",)))
    assert {hit.key for hit in results.hits} == {"page:4"}


def test_date_filter_uses_whole_days_in_shanghai(indexed):
    assert found(indexed, "疫苗", date_from=datetime.date(2024, 1, 1)) == {"page:1"}
    assert found(indexed, "疫苗", date_to=datetime.date(2023, 12, 31)) == {"page:4"}
    # 2024-03-01 12:00 UTC is 20:00 in Shanghai, the same day.
    assert found(
        indexed, "疫苗", date_from=datetime.date(2024, 3, 1), date_to=datetime.date(2024, 3, 1)
    ) == {"page:1"}


def test_sort_by_date_puts_the_newest_first(indexed):
    results = indexed.search(SearchQuery(text="科普", sort="date"))
    assert [hit.key for hit in results.hits] == ["quiz:1", "contest:1", "page:6"]


def test_pagination(indexed):
    first = indexed.search(SearchQuery(text="科普", sort="date", limit=2))
    second = indexed.search(SearchQuery(text="科普", sort="date", offset=2, limit=2))
    assert first.total == second.total == 3
    assert [hit.key for hit in first.hits] == ["quiz:1", "contest:1"]
    assert [hit.key for hit in second.hits] == ["page:6"]


def test_highlights_mark_matches_in_the_original_characters(indexed):
    results = indexed.search(SearchQuery(text="电脑"))
    hit = results.hits[0]
    assert hit.title_highlighted == "<mark>電腦</mark>是怎樣工作的"
    assert "<mark>電腦</mark>" in hit.snippet
    assert hit.url == "/articles/computer/"
    assert hit.kind == "article"
    assert hit.topics == ("科技",)
    assert hit.date == at(2023, 5, 10)


def test_highlights_are_html_escaped(indexed):
    results = indexed.search(SearchQuery(text="网页安全"))
    hit = results.hits[0]
    assert hit.key == "page:7"
    assert "<script>" not in hit.title_highlighted
    assert "&lt;script&gt;" in hit.title_highlighted
    assert "<mark>网页</mark>" in hit.title_highlighted
    assert "&amp;" in hit.snippet
    assert hit.date is None


@pytest.mark.parametrize("text", HOSTILE_QUERIES)
def test_hostile_queries_never_raise(indexed, text):
    results = indexed.search(SearchQuery(text=text))
    assert isinstance(results, SearchResults)
    assert results.total >= 0
    assert isinstance(indexed.suggest(text), list)


def test_fullwidth_and_latin_case_fold(indexed):
    assert found(indexed, "Ｃｏｖｉｄ－１９疫苗") == set()  # "covid" is in no document
    indexed.index(
        [SearchDocument(key="page:9", kind="article", title="COVID-19 疫苗问答", url="/x/")]
    )
    assert found(indexed, "covid") == {"page:9"}
    assert found(indexed, "Ｃｏｖｉｄ") == {"page:9"}


def test_index_replaces_by_key_and_delete_removes(indexed):
    replaced = SearchDocument(key="page:4", kind="article", title="流感的症状", url="/f/")
    assert indexed.index([replaced]) == 1
    assert found(indexed, "疫苗") == {"page:1"}
    assert found(indexed, "症状") == {"page:4"}

    assert indexed.delete(["page:1", "page:404"]) == 1
    assert found(indexed, "疫苗") == set()
    assert indexed.keys() == {doc.key for doc in DOCUMENTS} - {"page:1"}


def test_clear_empties_the_index(indexed):
    indexed.clear()
    assert indexed.keys() == set()
    assert found(indexed, "疫苗") == set()
    assert indexed.suggest("科普") == []


def test_rebuild_replaces_everything(indexed):
    new = [SearchDocument(key="page:10", kind="article", title="月球上有水吗", url="/moon/")]
    assert indexed.rebuild(new) == 1
    assert indexed.keys() == {"page:10"}
    assert found(indexed, "月球") == {"page:10"}
    assert found(indexed, "疫苗") == set()


def test_suggestions_by_title_prefix_and_pinyin(indexed):
    assert [s.title for s in indexed.suggest("科普")] == ["科普进校园"]
    assert [s.title for s in indexed.suggest("kepu")] == ["科普进校园"]
    assert [s.title for s in indexed.suggest("kp")] == ["科普进校园"]
    assert [s.title for s in indexed.suggest("KP")] == ["科普进校园"]
    assert {s.title for s in indexed.suggest("全国")} == {"全国科普日有奖竞答"}
    assert {s.title for s in indexed.suggest("qgkp")} == {"全国科普日有奖竞答"}
    assert {s.title for s in indexed.suggest("電腦")} == {"電腦是怎樣工作的"}
    suggestion = indexed.suggest("diannao")[0]
    assert (suggestion.url, suggestion.kind) == ("/articles/computer/", "article")
    assert {s.title for s in indexed.suggest("xin")} == {
        "新冠疫苗接种须知",
        "新型冠状病毒是如何传播的",
    }
    assert len(indexed.suggest("x", limit=1)) == 1
    assert indexed.suggest("zzzz") == []


def test_search_finds_titles_by_pinyin(indexed):
    assert found(indexed, "kepu") == {"page:6", "quiz:1", "contest:1"}
    assert found(indexed, "diannao") == {"page:2"}


def test_ping(backend):
    assert backend.ping() is True
