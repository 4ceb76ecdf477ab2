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

from search import pipeline
from search.backends.base import SearchBackendError, SearchDocument, SearchQuery
from search.backends.elastic import ElasticsearchBackend
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
    assert fields["kind"] == fields["topics"] == {"type": "keyword"}
    assert fields["suggest"]["type"] == "completion"
    assert fields["title"]["index"] is False
    # NDJSON: an action line, then the document, for each document.
    assert bulk["path"] == "/kepu-search/_bulk?refresh=false"
    action, source = bulk["body"][0], bulk["body"][1]
    assert action == {"index": {"_id": "page:1"}}
    assert source["title_tokens"] == " ".join(pipeline.tokens(DOCUMENTS[0].title))
    assert source["body_bigrams"].startswith("接种 种新 新冠 冠疫 疫苗")
    assert source["suggest"]["input"] == [
        "新冠疫苗接种须知",
        "xinguanyimiaojiezhongxuzhi",
        "xgymjzxz",
    ]
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
    first_clause = body["query"]["bool"]["must"][0]["bool"]
    assert first_clause["minimum_should_match"] == 1
    words = [q["multi_match"]["query"] for q in first_clause["should"]]
    assert words == ["新冠", "新冠", "新型冠状病毒", "新型 型冠 冠状 状病 病毒"]
    assert body["query"]["bool"]["filter"] == [
        {"range": {"date": {"gte": "2024-01-01T00:00:00+08:00"}}}
    ]
    assert body["post_filter"] == {"bool": {"filter": [{"terms": {"kind": ["article"]}}]}}
    assert body["aggs"]["topic"] == {"terms": {"field": "topics", "size": 50}}
    assert body["track_total_hits"] is True

    assert results.total == 1
    assert results.facets == {"kind": {"article": 1, "video": 1}, "topic": {"防疫": 2}}
    (hit,) = results.hits
    assert hit.key == "page:1"
    assert hit.title_highlighted == "<mark>新冠</mark><mark>疫苗</mark>接种须知"
    assert hit.snippet.startswith("接种<mark>新冠</mark><mark>疫苗</mark>前")
    assert hit.date == datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC)
    assert hit.topics == ("防疫",)
    assert hit.score == pytest.approx(7.5)


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
