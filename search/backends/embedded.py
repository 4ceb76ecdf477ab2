"""The embedded backend: full text in the site's own database, no server to run.

Documents live in `IndexedDocument` (+ `SuggestInput`), with the normalised text the ranking
reads; their segmented text in full-text tables chosen by the database vendor (migration
0008): on SQLite an FTS5 table (columns only, no positions) and a small filter table (kind,
date, topics, length); on PostgreSQL a table of lexeme-only tsvectors with a GIN index,
written literally so PostgreSQL's own parser never re-splits Chinese. The indexes answer
which clauses each document matches; `embedded_ranking` applies `search.text.ranking`'s rules.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import DatabaseError, connection, transaction

from search.backends import common, embedded_ranking
from search.backends.base import (
    Hit,
    SearchBackend,
    SearchBackendError,
    SearchDocument,
    SearchQuery,
    SearchResults,
    Suggestion,
)
from search.backends.embedded_ranking import TOPIC_SEPARATOR
from search.backends.embedded_sql import pg_title_tsvector, pg_tsvector
from search.constants import EMBEDDED_BATCH, MAX_BODY_CHARS
from search.models import IndexedDocument, SuggestInput
from search.text import highlight, ranking
from search.text.normalise import clean_prefix

logger = logging.getLogger(__name__)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _epoch(value: datetime.datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


class EmbeddedBackend(SearchBackend):
    """Search in the site's database (SQLite FTS5 or PostgreSQL full text)."""

    name = "embedded"

    @property
    def vendor(self) -> str:
        return connection.vendor

    # --- writing ----------------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Adds or replaces documents by key, in batches; each batch is one transaction.

        A database error (e.g. two workers writing the same key at once) raises
        SearchBackendError after its batch rolled back; callers retry.
        """
        try:
            return self._index(documents, replace=True)
        except DatabaseError as error:
            raise SearchBackendError(f"embedded index failed: {error}") from error

    def _index(self, documents: Iterable[SearchDocument], replace: bool) -> int:
        written = 0
        for batch in _batches(documents, EMBEDDED_BATCH):
            unique = {doc.key: doc for doc in batch}
            analysed = {key: common.analyse_document(doc) for key, doc in unique.items()}
            with transaction.atomic():
                if replace:
                    self._delete_keys(list(unique))
                written += self._insert(list(unique.values()), analysed)
            embedded_ranking.statistics.forget()
        return written

    def _insert(self, documents: list[SearchDocument], analysed) -> int:

        rows = IndexedDocument.objects.bulk_create(
            [
                IndexedDocument(
                    key=doc.key[:100],
                    kind=doc.kind[:20],
                    title=doc.title[:500],
                    url=doc.url[:500],
                    summary=doc.summary,
                    body=doc.body[:MAX_BODY_CHARS],
                    topics=list(doc.topics),
                    section=doc.section[:200],
                    date=doc.date,
                    image_url=doc.image_url[:500],
                    ranking_text=analysed[doc.key].ranking_text,
                )
                for doc in documents
            ]
        )
        SuggestInput.objects.bulk_create(
            [
                SuggestInput(document_id=row.pk, text=text[:200])
                for row, doc in zip(rows, documents, strict=True)
                for text in analysed[doc.key].suggest
            ]
        )
        pairs = [(row, analysed[doc.key], doc) for row, doc in zip(rows, documents, strict=True)]
        filters = {
            row.pk: (
                doc.kind[:20],
                _epoch(doc.date),
                TOPIC_SEPARATOR.join(doc.topics),
                # The body's length normalises BM25.
                len(ranking.split_ranking_text(a.ranking_text)[2]),
            )
            for row, a, doc in pairs
        }
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.executemany(
                    "INSERT INTO search_fts (rowid, title, body, pinyin, title_bigrams,"
                    " body_bigrams, title_chars, body_chars)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    [
                        (
                            row.pk,
                            " ".join(a.title_tokens),
                            " ".join(a.body_tokens),
                            " ".join(a.pinyin),
                            " ".join(a.title_bigrams),
                            " ".join(a.body_bigrams),
                            " ".join(a.title_chars),
                            " ".join(a.body_chars),
                        )
                        for row, a, _doc in pairs
                    ],
                )
                cursor.executemany(
                    "INSERT INTO search_doc_filter (id, kind, date, topics, length)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    [(row.pk, *filters[row.pk]) for row, _a, _doc in pairs],
                )
            else:
                cursor.executemany(
                    "INSERT INTO search_pg_vector"
                    " (document_id, vector, title_vector, kind, date, topics, length)"
                    " VALUES (%s, %s::tsvector, %s::tsvector, %s, %s, %s, %s)",
                    [
                        (row.pk, pg_tsvector(a), pg_title_tsvector(a), *filters[row.pk])
                        for row, a, _doc in pairs
                    ],
                )
        return len(rows)

    def _delete_keys(self, keys: list[str]) -> int:

        ids = list(IndexedDocument.objects.filter(key__in=keys).values_list("pk", flat=True))
        if not ids:
            return 0
        tables = (
            [("search_fts", "rowid"), ("search_doc_filter", "id")]
            if self.vendor == "sqlite"
            else [("search_pg_vector", "document_id")]
        )
        placeholders = ",".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            for table, column in tables:
                cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({placeholders})", ids)  # noqa: S608
        SuggestInput.objects.filter(document_id__in=ids).delete()
        IndexedDocument.objects.filter(pk__in=ids).delete()
        return len(ids)

    def delete(self, keys: Iterable[str]) -> int:
        """Removes documents by key; unknown keys are ignored."""
        removed = 0
        try:
            for batch in _batches(keys, EMBEDDED_BATCH):
                with transaction.atomic():
                    removed += self._delete_keys(batch)
                embedded_ranking.statistics.forget()
        except DatabaseError as error:
            raise SearchBackendError(f"embedded delete failed: {error}") from error
        return removed

    def clear(self) -> None:
        """Removes every document and its full-text row."""

        tables = (
            ["search_fts", "search_doc_filter"] if self.vendor == "sqlite" else ["search_pg_vector"]
        )
        with transaction.atomic():
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            SuggestInput.objects.all().delete()
            IndexedDocument.objects.all().delete()
        embedded_ranking.statistics.forget()

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        """Replaces the index in one transaction: readers see the old index until it commits."""
        try:
            with transaction.atomic():
                self.clear()
                # Keys repeated across batches would collide: replace those as index() does.
                return self._index(documents, replace=True)
        except DatabaseError as error:
            raise SearchBackendError(f"embedded rebuild failed: {error}") from error

    # --- reading ----------------------------------------------------------------------------

    def keys(self) -> set[str]:

        return set(IndexedDocument.objects.values_list("key", flat=True))

    def ping(self) -> bool:
        try:
            table = "search_fts" if self.vendor == "sqlite" else "search_pg_vector"
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608
            return True
        except Exception:
            logger.warning("embedded search backend unavailable", exc_info=True)
            return False

    def search(self, query: SearchQuery) -> SearchResults:
        """Ranked, highlighted results under `search.text.ranking`'s rules, with facets over every
        match of the text and dates (before the kind and topic filters, so other choices
        stay visible)."""

        analysed = common.analyse(query.text)
        if analysed.empty:
            return SearchResults(hits=[], total=0, facets={"kind": {}, "topic": {}})
        offset, limit = common.bounded(query)
        try:
            ranked = embedded_ranking.find(analysed, query, offset + limit)
            page = ranked.candidates[offset : offset + limit]
            documents = IndexedDocument.objects.in_bulk([c.id for c in page])
        except Exception as error:
            logger.exception("embedded search failed")
            raise SearchBackendError(str(error)) from error
        terms = analysed.highlight_terms()
        hits = []
        for candidate in page:
            doc = documents.get(candidate.id)
            if doc is None:
                continue
            hits.append(
                Hit(
                    key=doc.key,
                    kind=doc.kind,
                    title=doc.title,
                    url=doc.url,
                    snippet=highlight.snippet([doc.summary, doc.body], analysed),
                    title_highlighted=highlight.highlight(doc.title, terms),
                    date=doc.date,
                    image_url=doc.image_url,
                    topics=tuple(doc.topics),
                    score=candidate.score,
                )
            )
        return SearchResults(
            hits=hits, total=ranked.total, facets=ranked.facets, partial=ranked.partial
        )

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles whose title, full pinyin or pinyin initials start with `prefix`.

        Shorter titles first, then the newest; one suggestion per document.
        """

        cleaned = clean_prefix(prefix)
        limit = max(1, min(int(limit or 8), 20))
        if not cleaned:
            return []
        try:
            candidates = list(
                SuggestInput.objects.filter(
                    text__gte=cleaned, text__lt=cleaned + "\U0010ffff", text__startswith=cleaned
                )
                .order_by("text")
                .values_list(
                    "document_id",
                    "document__title",
                    "document__url",
                    "document__kind",
                    "document__date",
                )[:200]
            )
        except Exception as error:
            logger.exception("embedded suggestions failed")
            raise SearchBackendError(str(error)) from error
        seen: dict[int, tuple] = {}
        for row in candidates:
            seen.setdefault(row[0], row)
        epoch = datetime.datetime.min.replace(tzinfo=datetime.UTC)
        ordered = sorted(
            seen.values(), key=lambda r: (len(r[1]), -(r[4] or epoch).timestamp(), r[0])
        )
        return [Suggestion(title=r[1], url=r[2], kind=r[3]) for r in ordered[:limit]]
