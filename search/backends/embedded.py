"""The embedded backend: full text in the site's own database, no server to run.

Documents live in `IndexedDocument` (+ `SuggestInput`); their segmented text in a full-text
table chosen by the database vendor (migration 0002): an FTS5 table on SQLite (bm25 with
column weights), a tsvector with a GIN index on PostgreSQL (ts_rank_cd with weights; the
vector is written literally, lexeme by lexeme, so PostgreSQL's own parser never re-splits
Chinese). Every query clause must match; a clause matches by the word as a token (title,
body or title pinyin) or by all of its character bigrams (the fallback), or by any of its
synonyms the same way.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import DatabaseError, connection, transaction

from search import pipeline
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
from search.backends.embedded_sql import (
    PG_WEIGHTS,
    fts5_expression,
    pg_title_tsvector,
    pg_tsquery,
    pg_tsvector,
)

logger = logging.getLogger(__name__)

BATCH = 500
# Column weights, in the order title, body, pinyin, title_bigrams, body_bigrams.
FTS5_WEIGHTS = (10.0, 2.0, 6.0, 4.0, 1.0)
# Above this many matches PostgreSQL ranks by the title alone (see _pg_matches).
PG_FULL_RANK_LIMIT = 500
# Topics beside the full text, joined by a character no topic contains.
TOPIC_SEPARATOR = "\x1f"


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
        for batch in _batches(documents, BATCH):
            unique = {doc.key: doc for doc in batch}
            analysed = {key: common.analyse_document(doc) for key, doc in unique.items()}
            with transaction.atomic():
                if replace:
                    self._delete_keys(list(unique))
                written += self._insert(list(unique.values()), analysed)
        return written

    def _insert(self, documents: list[SearchDocument], analysed) -> int:
        from search.models import IndexedDocument, SuggestInput

        rows = IndexedDocument.objects.bulk_create(
            [
                IndexedDocument(
                    key=doc.key[:100],
                    kind=doc.kind[:20],
                    title=doc.title[:500],
                    url=doc.url[:500],
                    summary=doc.summary,
                    body=doc.body[: pipeline.MAX_BODY_CHARS],
                    topics=list(doc.topics),
                    section=doc.section[:200],
                    date=doc.date,
                    image_url=doc.image_url[:500],
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
        filters = {
            row.pk: (doc.kind[:20], _epoch(doc.date), TOPIC_SEPARATOR.join(doc.topics))
            for row, doc in zip(rows, documents, strict=True)
        }
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                ids = [row.pk for row in rows]
                cursor.execute(
                    f"DELETE FROM search_fts WHERE rowid IN ({','.join(['%s'] * len(ids))})",  # noqa: S608
                    ids,
                )
                cursor.executemany(
                    "INSERT INTO search_fts (rowid, title, body, pinyin, title_bigrams,"
                    " body_bigrams, kind, date, topics)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    [
                        (
                            row.pk,
                            " ".join(a.title_tokens),
                            " ".join(a.body_tokens),
                            " ".join(a.pinyin),
                            " ".join(a.title_bigrams),
                            " ".join(a.body_bigrams),
                            *filters[row.pk],
                        )
                        for row, a in (
                            (row, analysed[doc.key])
                            for row, doc in zip(rows, documents, strict=True)
                        )
                    ],
                )
            else:
                cursor.executemany(
                    "INSERT INTO search_pg_vector"
                    " (document_id, vector, title_vector, kind, date, topics)"
                    " VALUES (%s, %s::tsvector, %s::tsvector, %s, %s, %s)"
                    " ON CONFLICT (document_id) DO UPDATE SET vector = EXCLUDED.vector,"
                    " title_vector = EXCLUDED.title_vector, kind = EXCLUDED.kind,"
                    " date = EXCLUDED.date, topics = EXCLUDED.topics",
                    [
                        (
                            row.pk,
                            pg_tsvector(analysed[doc.key]),
                            pg_title_tsvector(analysed[doc.key]),
                            *filters[row.pk],
                        )
                        for row, doc in zip(rows, documents, strict=True)
                    ],
                )
        return len(rows)

    def _delete_keys(self, keys: list[str]) -> int:
        from search.models import IndexedDocument, SuggestInput

        ids = list(IndexedDocument.objects.filter(key__in=keys).values_list("pk", flat=True))
        if not ids:
            return 0
        table, column = (
            ("search_fts", "rowid")
            if self.vendor == "sqlite"
            else ("search_pg_vector", "document_id")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE {column} IN ({','.join(['%s'] * len(ids))})",  # noqa: S608
                ids,
            )
        SuggestInput.objects.filter(document_id__in=ids).delete()
        IndexedDocument.objects.filter(pk__in=ids).delete()
        return len(ids)

    def delete(self, keys: Iterable[str]) -> int:
        """Removes documents by key; unknown keys are ignored."""
        removed = 0
        try:
            for batch in _batches(keys, BATCH):
                with transaction.atomic():
                    removed += self._delete_keys(batch)
        except DatabaseError as error:
            raise SearchBackendError(f"embedded delete failed: {error}") from error
        return removed

    def clear(self) -> None:
        """Removes every document and its full-text row."""
        from search.models import IndexedDocument, SuggestInput

        with transaction.atomic():
            with connection.cursor() as cursor:
                table = "search_fts" if self.vendor == "sqlite" else "search_pg_vector"
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            SuggestInput.objects.all().delete()
            IndexedDocument.objects.all().delete()

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
        from search.models import IndexedDocument

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

    def _matches(self, analysed: pipeline.AnalysedQuery, query: SearchQuery) -> list[tuple]:
        """(id, score, kind, date as epoch seconds, topics) of every document matching the
        text and dates, from the full-text table alone (no join: this runs per match)."""
        start, end = common.date_bounds(query)
        conditions, params = [], []
        if start is not None:
            conditions.append("date >= %s")
            params.append(start.timestamp())
        if end is not None:
            conditions.append("date < %s")
            params.append(end.timestamp())
        extra = "".join(" AND " + c for c in conditions)
        if self.vendor == "sqlite":
            weights = ", ".join(str(w) for w in FTS5_WEIGHTS)
            sql = (
                f"SELECT rowid, -bm25(search_fts, {weights}), kind, date, topics"  # noqa: S608
                f" FROM search_fts WHERE search_fts MATCH %s{extra}"
            )
            params = [fts5_expression(analysed), *params]
        else:
            return self._pg_matches(pg_tsquery(analysed), extra, params)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _pg_matches(self, tsquery: str, extra: str, params: list) -> list[tuple]:
        """Ranks by the title vector (small, inline); when there are few matches, by the whole
        document's vector, which must be read from TOAST storage row by row."""
        with transaction.atomic(), connection.cursor() as cursor:
            # The planner does not know that a sequential scan must read (detoast) every
            # document's vector: for common words it would pick one, at ten times the cost.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                f"SELECT document_id, ts_rank_cd('{PG_WEIGHTS}', title_vector, q), kind, date,"  # noqa: S608
                f" topics FROM search_pg_vector, CAST(%s AS tsquery) q WHERE vector @@ q{extra}",
                [tsquery, *params],
            )
            rows = cursor.fetchall()
            if not rows or len(rows) > PG_FULL_RANK_LIMIT:
                cursor.execute("RESET enable_seqscan")
                return rows
            cursor.execute(
                f"SELECT document_id, ts_rank_cd('{PG_WEIGHTS}', vector, q, 1)"  # noqa: S608
                " FROM search_pg_vector, CAST(%s AS tsquery) q WHERE document_id = ANY(%s)",
                [tsquery, [row[0] for row in rows]],
            )
            scores = dict(cursor.fetchall())
            # Inside a caller's transaction SET LOCAL would outlive this block.
            cursor.execute("RESET enable_seqscan")
        return [(pk, scores.get(pk, score), *rest) for pk, score, *rest in rows]

    def search(self, query: SearchQuery) -> SearchResults:
        """Ranked, highlighted results with facets over every match of the text and dates
        (before the kind and topic filters, so other choices stay visible)."""
        from search.models import IndexedDocument

        analysed = pipeline.analyse_query(query.text)
        if analysed.empty:
            return SearchResults(hits=[], total=0, facets={"kind": {}, "topic": {}})
        try:
            rows = self._matches(analysed, query)
        except Exception as error:
            logger.exception("embedded search failed")
            raise SearchBackendError(str(error)) from error
        kinds = Counter(row[2] for row in rows)
        topics = Counter()
        for row in rows:
            if row[4]:
                topics.update(row[4].split(TOPIC_SEPARATOR))
        if query.kinds:
            rows = [row for row in rows if row[2] in query.kinds]
        if query.topics:
            wanted = set(query.topics)
            rows = [row for row in rows if wanted.intersection(row[4].split(TOPIC_SEPARATOR))]
        if query.sort == "date":
            rows.sort(key=lambda r: (r[3] is None, -(r[3] or 0), -r[1], r[0]))
        else:
            rows.sort(key=lambda r: (-r[1], r[3] is None, -(r[3] or 0), r[0]))
        offset, limit = common.bounded(query)
        page = rows[offset : offset + limit]
        documents = IndexedDocument.objects.in_bulk([row[0] for row in page])
        terms = analysed.highlight_terms()
        hits = []
        for pk, score, *_rest in page:
            doc = documents.get(pk)
            if doc is None:
                continue
            hits.append(
                Hit(
                    key=doc.key,
                    kind=doc.kind,
                    title=doc.title,
                    url=doc.url,
                    snippet=common.snippet([doc.summary, doc.body], terms),
                    title_highlighted=common.highlight(doc.title, terms),
                    date=doc.date,
                    image_url=doc.image_url,
                    topics=tuple(doc.topics),
                    score=score,
                )
            )
        return SearchResults(
            hits=hits,
            total=len(rows),
            facets={"kind": dict(kinds.most_common()), "topic": dict(topics.most_common())},
        )

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles whose title, full pinyin or pinyin initials start with `prefix`.

        Shorter titles first, then the newest; one suggestion per document.
        """
        from search.models import SuggestInput

        cleaned = pipeline.clean_prefix(prefix)
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
