"""The Elasticsearch backend, through the official client's `elasticsearch.dsl` API.

Mappings need no plugins: the text arrives pre-segmented by the text core, `search.text` (tokens
joined by spaces) and is indexed with a whitespace tokenizer and lowercasing; a bigram field
is the fallback; kind and topics are keywords (facets through aggregations); a completion
field holds the suggestion inputs (title, pinyin in full and initials) computed at index
time. Synonyms expand the query (as in the embedded backend), so editing them needs no
reindex. The query is `search.text.ranking`'s rules as one `bool` query (all words first,
`minimum_should_match`, `match_phrase` boosts), sent again with any one word required when
nothing matches enough of them. Highlights and best passages are made from the stored
original text by `search.backends.common`, like the embedded backend's.

Indices are versioned (`<prefix>-search-<timestamp>`) behind the alias `<prefix>-search`:
a rebuild fills a new index, swaps the alias in one atomic request and then deletes the old
index, so searches never see a half-built index. Every failure (connection refused,
timeout, an error answer) becomes `SearchBackendError`; timeouts are short so that a dead
cluster costs a request little before the site falls back to the embedded backend.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Iterator

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import Q, Search

from search.backends import common
from search.backends.base import (
    Hit,
    SearchBackend,
    SearchBackendError,
    SearchDocument,
    SearchQuery,
    SearchResults,
    Suggestion,
)
from search.backends.elastic_documents import index_definition, source, text_query
from search.constants import (
    ELASTIC_BULK_CHUNK,
    ELASTIC_SEARCH_TIMEOUT,
    ELASTIC_TOPIC_FACET_SIZE,
    ELASTIC_WRITE_TIMEOUT,
)
from search.text import highlight, ranking
from search.text.normalise import clean_prefix
from search.text.query import AnalysedQuery

logger = logging.getLogger(__name__)

SOURCE_FIELDS = ["key", "kind", "title", "url", "summary", "body", "topics", "date", "image_url"]


def _parse_date(value) -> datetime.datetime | None:
    if not value:
        return None
    parsed = datetime.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def _now_version() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")


class ElasticsearchBackend(SearchBackend):
    """Search on an Elasticsearch 8 cluster."""

    name = "elastic"

    def __init__(
        self,
        url: str = "",
        index_prefix: str = "kepu",
        *,
        refresh: bool = False,
        node_class: type | None = None,
        version: Callable[[], str] = _now_version,
    ):
        self.alias = f"{index_prefix}-search"
        # Tests: make every write visible to the next search at once.
        self.refresh = refresh
        self._version = version
        self._ready = False
        self.bulk_chunk = ELASTIC_BULK_CHUNK
        options = {"node_class": node_class} if node_class else {}
        self.client = Elasticsearch(
            url,
            request_timeout=ELASTIC_SEARCH_TIMEOUT,
            max_retries=1,
            retry_on_timeout=False,
            **options,
        )

    def _reader(self) -> Elasticsearch:
        return self.client.options(request_timeout=ELASTIC_SEARCH_TIMEOUT)

    # --- index versions ----------------------------------------------------------------------

    def _new_index(self) -> str:
        name = f"{self.alias}-{self._version()}"
        index_definition(name).create(
            using=self.client.options(request_timeout=ELASTIC_WRITE_TIMEOUT)
        )
        return name

    def _current_indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except ApiError as error:
            if error.meta.status == 404:
                return []
            raise

    def _ensure_index(self) -> None:
        if self._ready:
            return
        if not self._current_indices():
            name = self._new_index()
            self.client.indices.put_alias(index=name, name=self.alias)
        self._ready = True

    def _bulk(self, actions: Iterable[dict], index: str) -> Iterator[tuple[bool, dict]]:
        return helpers.streaming_bulk(
            self.client.options(request_timeout=ELASTIC_WRITE_TIMEOUT),
            actions,
            index=index,
            chunk_size=self.bulk_chunk,
            raise_on_error=False,
            raise_on_exception=True,
            refresh="true" if self.refresh else "false",
        )

    def _fail(self, action: str, error: Exception) -> SearchBackendError:
        logger.warning("elasticsearch %s failed: %s", action, error)
        return SearchBackendError(f"elasticsearch {action} failed: {error}")

    # --- writing --------------------------------------------------------------------------------

    def _write(self, documents: Iterable[SearchDocument], index: str) -> int:
        actions = (
            {"_op_type": "index", "_id": doc.key, "_source": source(doc)} for doc in documents
        )
        written = 0
        for ok, item in self._bulk(actions, index):
            if not ok:
                raise SearchBackendError(f"elasticsearch refused a document: {item}")
            written += 1
        return written

    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Adds or replaces documents by key through the bulk API."""
        try:
            self._ensure_index()
            return self._write(documents, self.alias)
        except (ApiError, TransportError, helpers.BulkIndexError) as error:
            raise self._fail("index", error) from error

    def delete(self, keys: Iterable[str]) -> int:
        """Removes documents by key; unknown keys are ignored. Returns how many existed."""
        actions = ({"_op_type": "delete", "_id": key} for key in keys)
        try:
            self._ensure_index()
            removed = 0
            for _ok, item in self._bulk(actions, self.alias):
                if item.get("delete", {}).get("result") == "deleted":
                    removed += 1
            return removed
        except (ApiError, TransportError, helpers.BulkIndexError) as error:
            raise self._fail("delete", error) from error

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        """Fills a new index version, swaps the alias atomically, then drops the old one."""
        new = None
        try:
            old = self._current_indices()
            new = self._new_index()
            written = self._write(documents, new)
            self.client.indices.refresh(index=new)
            actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
            actions.append({"add": {"index": new, "alias": self.alias}})
            self.client.indices.update_aliases(actions=actions)
            new = None  # swapped: it is the live index now
            for name in old:
                self.client.indices.delete(index=name, ignore_unavailable=True)
            self._ready = True
            return written
        except (ApiError, TransportError, helpers.BulkIndexError, SearchBackendError) as error:
            if new is not None:
                try:
                    self.client.indices.delete(index=new, ignore_unavailable=True)
                except (ApiError, TransportError):
                    logger.warning("could not drop the unfinished index %s", new)
            if isinstance(error, SearchBackendError):
                raise
            raise self._fail("rebuild", error) from error

    def clear(self) -> None:
        """Swaps in an empty index version (and drops the old one)."""
        self.rebuild([])

    # --- reading --------------------------------------------------------------------------------

    def keys(self) -> set[str]:
        try:
            if not self._current_indices():
                return set()
            return {
                hit["_id"]
                for hit in helpers.scan(
                    self.client,
                    index=self.alias,
                    query={"query": {"match_all": {}}, "_source": False},
                    size=1000,
                )
            }
        except (ApiError, TransportError) as error:
            raise self._fail("keys", error) from error

    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except Exception:
            return False

    def build_search(
        self, analysed: AnalysedQuery, query: SearchQuery, *, relaxed: bool = False
    ) -> Search:
        """The request of a search: query, date filter, facets, kind/topic post-filter."""
        offset, limit = common.bounded(query)
        search = Search(using=self._reader(), index=self.alias).query(
            text_query(analysed, relaxed=relaxed)
        )
        start, end = common.date_bounds(query)
        if start or end:
            bounds = {}
            if start:
                bounds["gte"] = start.isoformat()
            if end:
                bounds["lt"] = end.isoformat()
            search = search.filter("range", date=bounds)
        search.aggs.bucket("kind", "terms", field="kind", size=len(common_kinds()))
        search.aggs.bucket("topic", "terms", field="topics", size=ELASTIC_TOPIC_FACET_SIZE)
        post = []
        if query.kinds:
            post.append(Q("terms", kind=list(query.kinds)))
        if query.topics:
            post.append(Q("terms", topics=list(query.topics)))
        if post:
            search = search.post_filter(Q("bool", filter=post))
        newest = {"date": {"order": "desc", "missing": "_last"}}
        if query.sort == "date":
            search = search.sort(newest, "_score", "key")
        else:
            search = search.sort("_score", newest, "key")
        return search.source(SOURCE_FIELDS).extra(track_total_hits=True, track_scores=True)[
            offset : offset + limit
        ]

    def search(self, query: SearchQuery) -> SearchResults:
        """Ranked, highlighted results; when nothing matches enough of the query's words
        (before the kind and topic filters, like the embedded backend), asks again with any
        one of them required."""
        analysed = common.analyse(query.text)
        if analysed.empty:
            return SearchResults(hits=[], total=0, facets={"kind": {}, "topic": {}})
        partial = False
        try:
            response = self.build_search(analysed, query).execute()
            matched = sum(b.doc_count for b in response.aggregations["kind"].buckets)
            if not matched and ranking.minimum_should_match(len(analysed.clauses)) > 1:
                response = self.build_search(analysed, query, relaxed=True).execute()
                partial = response.hits.total.value > 0 or bool(
                    response.aggregations["kind"].buckets
                )
        except NotFoundError:  # nothing indexed yet: no index behind the alias
            return SearchResults(hits=[], total=0, facets={"kind": {}, "topic": {}})
        except (ApiError, TransportError) as error:
            raise self._fail("search", error) from error
        terms = analysed.highlight_terms()
        hits = []
        for hit in response.hits:
            source = hit.to_dict()
            hits.append(
                Hit(
                    key=source.get("key") or hit.meta.id,
                    kind=source.get("kind", ""),
                    title=source.get("title", ""),
                    url=source.get("url", ""),
                    snippet=highlight.snippet(
                        [source.get("summary", ""), source.get("body", "")], analysed
                    ),
                    title_highlighted=highlight.highlight(source.get("title", ""), terms),
                    date=_parse_date(source.get("date")),
                    image_url=source.get("image_url", ""),
                    topics=tuple(source.get("topics") or ()),
                    score=float(hit.meta.score or 0.0),
                )
            )
        facets = {
            name: {b.key: b.doc_count for b in response.aggregations[name].buckets}
            for name in ("kind", "topic")
        }
        return SearchResults(
            hits=hits, total=response.hits.total.value, facets=facets, partial=partial
        )

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        cleaned = clean_prefix(prefix)
        limit = max(1, min(int(limit or 8), 20))
        if not cleaned:
            return []
        search = (
            Search(using=self._reader(), index=self.alias)
            .suggest(
                "titles",
                cleaned,
                completion={"field": "suggest", "size": limit},
            )
            .source(["title", "url", "kind"])
        )
        try:
            response = search.execute()
        except NotFoundError:
            return []
        except (ApiError, TransportError) as error:
            raise self._fail("suggest", error) from error
        out, seen = [], set()
        for option in response.suggest.titles[0].options:
            if option._id in seen:
                continue
            seen.add(option._id)
            source = option._source
            out.append(Suggestion(title=source.title, url=source.url, kind=source.kind))
        return out[:limit]


def common_kinds() -> tuple[str, ...]:
    from search.backends.base import KINDS

    return KINDS
