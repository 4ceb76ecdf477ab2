"""The Elasticsearch backend against recorded contracts (tests/search/elastic_replay.py).

The official client sends its real HTTP requests to a replaying node: each must be valid
JSON and equal the recorded one (mappings, bulk bodies, query DSL); the recorded answers
must be parsed into the right hits, facets and suggestions. The behavioural suite
(test_backend_contract.py) runs this backend against a real cluster when ELASTICSEARCH_URL
is set.
"""

import datetime
import os

import pytest

from search import dictionary
from search.backends.base import SearchBackendError, SearchDocument, SearchQuery
from search.backends.common import analyse
from search.backends.elastic import ElasticsearchBackend
from search.backends.elastic_documents import clause_query
from search.models import SynonymGroup
from tests.search.corpus import DOCUMENTS
from tests.search.elastic_replay import RECORDING, Conversation, node_class

pytestmark = pytest.mark.sqlite

URL = os.environ["ELASTICSEARCH_URL"] if RECORDING else "http://es.test:9200"


@pytest.fixture
def contract():
    conversations = []

    def use(name):
        conversation = Conversation(name)
        Conversation.current = conversation
        conversations.append(conversation)
        return conversation

    yield use
    Conversation.current = None


def make_backend():
    versions = iter(["v1", "v2", "v3"])
    return ElasticsearchBackend(
        url=URL, index_prefix="kepu", node_class=node_class(), version=lambda: next(versions)
    )


def test_first_write_creates_a_versioned_index_behind_the_alias_and_bulk_indexes(contract):
    conversation = contract("first_index")
    backend = make_backend()

    assert backend.index(DOCUMENTS[:3]) == 3
    conversation.finish()

    alias, create, put_alias, bulk = conversation.requests
    assert (alias["method"], alias["path"]) == ("GET", "/_alias/kepu-search")
    assert (create["method"], create["path"]) == ("PUT", "/kepu-search-v1")
    assert (put_alias["method"], put_alias["path"]) == ("PUT", "/kepu-search-v1/_alias/kepu-search")
    analysis = create["body"]["settings"]["analysis"]["analyzer"]
    assert analysis["kepu_segmented"] == {
        "type": "custom",
        "tokenizer": "whitespace",
        "filter": ["lowercase"],
    }
    fields = create["body"]["mappings"]["properties"]
    assert fields["title_tokens"] == {"type": "text", "analyzer": "kepu_segmented"}
    assert fields["body_bigrams"] == {"type": "text", "analyzer": "kepu_segmented"}
    assert fields["title_chars"] == fields["body_chars"] == fields["title_tokens"]
    assert fields["kind"] == fields["topics"] == {"type": "keyword"}
    assert fields["suggest"]["type"] == "completion"
    assert fields["title"]["index"] is False
    # NDJSON: an action line, then the document, for each document.
    assert bulk["path"] == "/kepu-search/_bulk?refresh=false"
    action, source = bulk["body"][0], bulk["body"][1]
    assert action == {"index": {"_id": "page:1"}}
    assert source["title_tokens"] == " ".join(dictionary.analyser().tokens(DOCUMENTS[0].title))
    assert source["body_bigrams"].startswith("接种 种新 新冠 冠疫 疫苗")
    assert source["suggest"]["input"] == [
        "新冠疫苗接种须知",
        "xinguanyimiaojiezhongxuzhi",
        "xgymjzxz",
    ]
    assert source["body_chars"].startswith("接 种 新 冠 疫 苗 前")  # distinct, summary first
    assert source["date"] == "2024-03-01T12:00:00+00:00"
    assert len(bulk["body"]) == 6


@pytest.mark.django_db
def test_search_sends_one_query_with_synonyms_filters_and_facets_and_reads_the_answer(contract):
    SynonymGroup.objects.create(terms="新冠, 新型冠状病毒")
    conversation = contract("search")
    backend = make_backend()

    results = backend.search(
        SearchQuery(
            text="新冠 疫苗",
            kinds=("article",),
            date_from=datetime.date(2024, 1, 1),
            offset=0,
            limit=10,
        )
    )
    conversation.finish()

    (request,) = conversation.requests
    assert (request["method"], request["path"]) == ("POST", "/kepu-search/_search")
    body = request["body"]
    query = body["query"]["bool"]
    # Matching: up to three words all of them, beyond that 60 % (search.ranking).
    (words,) = query["must"]
    assert words["bool"]["minimum_should_match"] == "3<60%"
    synonyms, vaccine = words["bool"]["should"]
    # A synonym group counts once: the best of its words, no tie breaker.
    assert synonyms["dis_max"]["tie_breaker"] == 0.0
    alternatives = synonyms["dis_max"]["queries"]
    assert [q["multi_match"]["query"] for q in alternatives] == [
        "新冠",
        "新冠",
        "新型冠状病毒",
        "新型 型冠 冠状 状病 病毒",
    ]
    assert alternatives[0]["multi_match"]["fields"] == ["title_tokens^3", "body_tokens", "pinyin^3"]
    assert alternatives[1]["multi_match"]["operator"] == "and"
    # Ranking: every word first, then the exact phrase, then proximity.
    every, exact, proximity = query["should"]
    assert every == {
        "constant_score": {"boost": 10000.0, "filter": {"bool": {"filter": [synonyms, vaccine]}}}
    }
    assert exact == {
        "constant_score": {
            "boost": 1000.0,
            "filter": {
                "bool": {
                    "minimum_should_match": 1,
                    "should": [
                        {"match_phrase": {"title_bigrams": "新冠 冠疫 疫苗"}},
                        {"match_phrase": {"body_bigrams": "新冠 冠疫 疫苗"}},
                    ],
                }
            },
        }
    }
    assert proximity == {
        "match_phrase": {"body_tokens": {"query": "新冠 疫苗", "slop": 20, "boost": 0.3}}
    }
    assert query["filter"] == [{"range": {"date": {"gte": "2024-01-01T00:00:00+08:00"}}}]
    assert body["post_filter"] == {"bool": {"filter": [{"terms": {"kind": ["article"]}}]}}
    assert body["aggs"]["topic"] == {"terms": {"field": "topics", "size": 50}}
    assert body["track_total_hits"] is True

    assert results.total == 1
    assert results.facets == {"kind": {"article": 1, "video": 1}, "topic": {"防疫": 2}}
    (hit,) = results.hits
    assert hit.key == "page:1"
    assert hit.title_highlighted == "<mark>新冠疫苗</mark>接种须知"
    assert hit.snippet.startswith("接种<mark>新冠疫苗</mark>前")
    assert hit.date == datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC)
    assert hit.topics == ("防疫",)
    assert hit.score == pytest.approx(7.5)


@pytest.mark.django_db
def test_a_question_that_no_document_answers_whole_is_asked_again_with_any_word(contract):
    conversation = contract("search_relaxed")
    backend = make_backend()

    results = backend.search(SearchQuery(text="火星表面有没有水"))
    conversation.finish()

    strict, relaxed = (r["body"]["query"]["bool"] for r in conversation.requests)
    assert [
        c["dis_max"]["queries"][0]["multi_match"]["query"]
        for c in strict["must"][0]["bool"]["should"]
    ] == ["火星", "表面"]
    assert strict["must"][0]["bool"]["minimum_should_match"] == "3<60%"
    assert relaxed["must"][0]["bool"]["minimum_should_match"] == 1
    assert relaxed["should"] == strict["should"]
    phrase = {
        "constant_score": {
            "boost": 4.0,
            "filter": {
                "bool": {
                    "minimum_should_match": 1,
                    "should": [
                        {"match_phrase": {"title_bigrams": "火星 星表 表面"}},
                        {"match_phrase": {"body_bigrams": "火星 星表 表面"}},
                    ],
                }
            },
        }
    }
    assert phrase in strict["should"]
    assert results.partial
    assert [hit.key for hit in results.hits] == ["page:6"]
    assert results.total == 1


@pytest.mark.django_db
def test_one_character_words_are_matched_by_their_neighbours_or_anywhere_when_alone():
    tokens = ["title_tokens^3", "body_tokens", "pinyin^3"]
    (lone,) = analyse("协").clauses
    assert clause_query(lone).to_dict() == {
        "dis_max": {
            "queries": [
                {"multi_match": {"query": "协", "fields": tokens}},
                {"multi_match": {"query": "协", "fields": ["title_chars^3", "body_chars"]}},
            ],
            "tie_breaker": 0.0,
        }
    }
    backed = {c.word: c for c in analyse("三舱式结构").clauses}["式"]
    assert clause_query(backed).to_dict()["dis_max"]["queries"] == [
        {"multi_match": {"query": "舱式", "fields": ["title_bigrams^3", "body_bigrams"]}},
        {"multi_match": {"query": "式结", "fields": ["title_bigrams^3", "body_bigrams"]}},
    ]


def test_sort_by_date_asks_for_newest_first(contract):
    conversation = contract("search_by_date")
    backend = make_backend()

    results = backend.search(SearchQuery(text="科普", sort="date", offset=2, limit=2))
    conversation.finish()

    body = conversation.requests[0]["body"]
    assert body["sort"] == [{"date": {"order": "desc", "missing": "_last"}}, "_score", "key"]
    assert (body["from"], body["size"]) == (2, 2)
    assert [hit.key for hit in results.hits] == ["page:6"]
    assert results.total == 3


def test_suggestions_use_the_completion_field(contract):
    conversation = contract("suggest")
    backend = make_backend()

    suggestions = backend.suggest("K P")
    conversation.finish()

    body = conversation.requests[0]["body"]
    assert body["suggest"] == {
        "titles": {"prefix": "kp", "completion": {"field": "suggest", "size": 8}}
    }
    assert [(s.title, s.url, s.kind) for s in suggestions] == [
        ("科普进校园", "/articles/science-in-schools/", "article")
    ]


def test_delete_counts_only_documents_that_existed(contract):
    conversation = contract("delete")
    backend = make_backend()

    assert backend.delete(["page:1", "page:404"]) == 1
    conversation.finish()

    bulk = conversation.requests[-1]
    assert bulk["body"] == [{"delete": {"_id": "page:1"}}, {"delete": {"_id": "page:404"}}]


def test_rebuild_fills_a_new_version_then_swaps_the_alias_and_drops_the_old(contract):
    conversation = contract("rebuild")
    backend = make_backend()
    backend._version = lambda: "v2"

    assert backend.rebuild(DOCUMENTS[:2]) == 2
    conversation.finish()

    steps = [(r["method"], r["path"]) for r in conversation.requests]
    assert steps == [
        ("GET", "/_alias/kepu-search"),
        ("PUT", "/kepu-search-v2"),
        ("PUT", "/kepu-search-v2/_bulk?refresh=false"),
        ("POST", "/kepu-search-v2/_refresh"),
        ("POST", "/_aliases"),
        ("DELETE", "/kepu-search-v1?ignore_unavailable=true"),
    ]
    assert conversation.requests[4]["body"] == {
        "actions": [
            {"remove": {"index": "kepu-search-v1", "alias": "kepu-search"}},
            {"add": {"index": "kepu-search-v2", "alias": "kepu-search"}},
        ]
    }


def test_a_failed_rebuild_drops_its_new_index_and_keeps_the_old(contract):
    conversation = contract("rebuild_failed")
    backend = make_backend()
    backend._version = lambda: "v2"

    with pytest.raises(SearchBackendError):
        backend.rebuild(DOCUMENTS[:1])
    conversation.finish()

    steps = [(r["method"], r["path"]) for r in conversation.requests]
    assert steps[-1] == ("DELETE", "/kepu-search-v2?ignore_unavailable=true")
    assert ("POST", "/_aliases") not in steps


def test_keys_scroll_through_every_document(contract):
    conversation = contract("keys")
    backend = make_backend()

    assert backend.keys() == {"page:1", "page:2", "quiz:1"}
    conversation.finish()


def test_an_unreachable_cluster_raises_search_backend_error(contract):
    conversation = contract("unreachable")
    backend = make_backend()

    with pytest.raises(SearchBackendError):
        backend.search(SearchQuery(text="疫苗"))
    assert backend.ping() is False
    conversation.finish()


def test_an_error_answer_raises_search_backend_error(contract):
    conversation = contract("refused")
    backend = make_backend()

    with pytest.raises(SearchBackendError):
        backend.search(SearchQuery(text="疫苗"))
    with pytest.raises(SearchBackendError):
        backend.suggest("yimiao")
    conversation.finish()


def test_queries_with_nothing_to_search_send_no_request(contract):
    conversation = contract("nothing")
    backend = make_backend()

    for text in ["", "！？", "🎉", "\x00"]:
        assert backend.search(SearchQuery(text=text)).total == 0
        assert backend.suggest(text) == []
    conversation.finish()
    assert conversation.requests == []


def test_ping_asks_the_cluster(contract):
    conversation = contract("ping")
    assert make_backend().ping() is True
    conversation.finish()


def test_index_sends_every_document_through_bulk_in_chunks(contract):
    conversation = contract("bulk_chunks")
    backend = make_backend()
    backend._ready = True
    backend.bulk_chunk = 2
    documents = [
        SearchDocument(key=f"page:{i}", kind="article", title=f"文章{i}", url=f"/a/{i}/")
        for i in range(3)
    ]

    assert backend.index(documents) == 3
    conversation.finish()
    assert [len(r["body"]) for r in conversation.requests] == [4, 2]


def test_before_anything_is_indexed_searches_find_nothing(contract):
    conversation = contract("no_index")
    backend = make_backend()

    assert backend.search(SearchQuery(text="疫苗")).hits == []
    assert backend.suggest("ym") == []
    conversation.finish()
