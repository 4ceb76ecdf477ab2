"""The shared behavioural suite: every backend finds the same documents for the same queries.

Parametrised by `backend_name` (tests/search/conftest.py): the embedded backend always (on
PostgreSQL, and again on SQLite in the sqlite pass), Elasticsearch when ELASTICSEARCH_URL is
set.
"""

import datetime

import pytest

from search import dictionary
from search.backends.base import SearchDocument, SearchQuery, SearchResults
from search.models import SynonymGroup
from search.text.normalise import normalise
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


def ranked(backend, text, **kwargs):
    return [hit.key for hit in backend.search(SearchQuery(text=text, limit=50, **kwargs)).hits]


def article(key, title, body, day=1):
    return SearchDocument(
        key=key, kind="article", title=title, url=f"/{key}/", body=body, date=at(2024, 1, day)
    )


def test_up_to_three_words_must_all_match(indexed):
    results = indexed.search(SearchQuery(text="流感 疫苗"))
    assert {hit.key for hit in results.hits} == {"page:4"}
    assert not results.partial


def test_when_no_document_has_every_word_the_best_partial_matches_are_shown(indexed):
    results = indexed.search(SearchQuery(text="疫苗的作用"))
    assert {hit.key for hit in results.hits} == {"page:1", "page:4"}
    assert results.partial


def test_a_question_finds_the_page_that_answers_it(backend):
    backend.index(
        [
            article(
                "q:1",
                "庆阳市科协开展应急科普进社区活动",
                "市科协组织专家走进社区，讲解地震、火灾的应急避险知识，发放应急科普手册。",
            ),
            article("q:2", "科普日活动回顾", "全市开展了丰富多彩的科普活动，吸引了很多市民。", 2),
            article("q:3", "应急物资储备指南", "家庭应急包里要准备饮用水、食品和手电筒。", 3),
            article(
                "q:4",
                "庆阳科协2023年工作总结",
                "庆阳市科协全年举办科普讲座四十场，建成科普示范社区十个。",
                4,
            ),
        ]
    )
    assert ranked(backend, "科协如何开展应急科普")[0] == "q:1"
    assert ranked(backend, "庆阳科协做了哪些工作")[0] == "q:4"
    assert ranked(backend, "科協如何開展應急科普")[0] == "q:1"


def test_an_exact_phrase_outranks_its_words_scattered(backend):
    backend.index(
        [
            article(
                "p:1",
                "战争与七年的回忆",
                "七年过去了，那场战争留下的伤痕仍在。战争让人们懂得和平，七年里城市重建。",
                2,
            ),
            article("p:2", "欧洲近代史", "七年战争于1756年爆发，是欧洲列强之间的一场大战。"),
        ]
    )
    assert ranked(backend, "七年战争")[0] == "p:2"


def test_a_synonym_pair_does_not_double_a_score(indexed):
    SynonymGroup.objects.create(terms="科协\n科学技术协会")
    indexed.index(
        [
            article("s:1", "科协举办辅导员培训", "全市辅导员参加了为期三天的培训。"),
            article(
                "s:2",
                "通知",
                "科学技术协会即科协。科学技术协会、科协、科学技术协会、科协都举办培训。",
                2,
            ),
        ]
    )
    assert ranked(indexed, "科协 培训") == ["s:1", "s:2"]


def test_a_lone_character_finds_every_document_that_holds_it(indexed):
    for char in ("协", "科"):
        expected = {
            doc.key
            for doc in DOCUMENTS
            if char
            in normalise(" ".join([doc.title, doc.summary, doc.body, *doc.topics, doc.section]))
        }
        assert len(expected) >= 2
        assert found(indexed, char) == expected


def test_one_character_words_are_found_through_the_bigrams_around_them(backend):
    backend.index(
        [
            article("c:1", "神舟飞船", "飞船采用三舱式结构，由轨道舱、返回舱和推进舱组成。"),
            article("c:2", "建筑的结构", "这座三层建筑采用框架式设计，结构稳固。", 2),
        ]
    )
    assert ranked(backend, "三舱式结构")[0] == "c:1"


def test_synonyms_expand_queries_without_reindexing(indexed):
    SynonymGroup.objects.all().delete()  # the starting groups (migration 0006)
    assert found(indexed, "新冠") == {"page:1"}

    SynonymGroup.objects.create(terms="新冠\n新型冠状病毒")
    SynonymGroup.objects.create(terms="科协，科学技术协会")

    assert found(indexed, "新冠") == {"page:1", "page:3"}
    assert found(indexed, "新型冠状病毒") == {"page:1", "page:3"}
    assert found(indexed, "科协") == {"quiz:1", "contest:1"}


def test_bigrams_find_exact_keywords_that_segmentation_splits_differently(indexed):
    # jieba reads 乒乓球/拍卖, so 球拍 is no token of the document: only bigrams find it.
    assert "球拍" not in dictionary.analyser().tokens(DOCUMENTS[7].body)
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
    assert "<mark>网页安全</mark>" in hit.title_highlighted
    assert "&amp;" in hit.snippet
    assert hit.date is None


@pytest.mark.parametrize("text", HOSTILE_QUERIES)
def test_hostile_queries_never_raise(indexed, text):
    results = indexed.search(SearchQuery(text=text))
    assert isinstance(results, SearchResults)
    assert results.total >= 0
    assert isinstance(indexed.suggest(text), list)


def test_fullwidth_and_latin_case_fold(indexed):
    assert found(indexed, "Ｃｏｖｉｄ") == set()  # "covid" is in no document
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
