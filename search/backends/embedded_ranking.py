"""How the embedded backend finds and orders documents under `search.text.ranking`'s rules.

1. **Match** (one SQL statement): for every clause, the documents matching it anywhere and
   in the title, plus the candidates of the exact phrase (every one of its bigrams), with
   each document's kind, date and topics. FTS5 and GIN answer these from their indexes
   alone; no document text is read. Each clause's document frequency falls out of it (the
   IDF of `search.text.ranking`), a synonym group counted once as the union of its words.
2. **Filter**: `minimum_should_match`, relaxed to any clause when nothing reaches it; facets
   over what is left; then the kind and topic filters.
3. **Rank**: by `ranking.coverage` (which needs no text), then the best
   `constants.RERANK_WINDOW` are scored in full (`ranking.score`) on their stored ranking text.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import connection, transaction

from search import constants
from search.backends import common
from search.backends.base import SearchQuery
from search.backends.embedded_sql import (
    fts5_all_bigrams,
    fts5_clause,
    pg_all_bigrams,
    pg_clause,
)
from search.text import ranking
from search.text.query import AnalysedQuery

# Bits of a candidate's mask: clause i anywhere (bit i), in the title (bit TITLE_SHIFT + i),
# a candidate of the exact phrase (EXACT_BIT).
TITLE_SHIFT = 16
EXACT_BIT = 1 << 32
# Topics beside the full text, joined by a character no topic contains.
TOPIC_SEPARATOR = "\x1f"


@dataclass
class Candidate:
    id: int
    mask: int
    kind: str
    date: float | None
    topics: str
    score: float = 0.0


@dataclass(frozen=True)
class Ranked:
    """The ordered matches of a search (after all filters), ready for paging."""

    candidates: list[Candidate]
    total: int
    facets: dict[str, dict[str, int]]
    partial: bool


class _Statistics:
    """How many documents the index holds and their average body length, memoised."""

    def __init__(self):
        self._lock = threading.Lock()
        self._value: tuple[int, float] | None = None
        self._read_at = 0.0

    def get(self) -> tuple[int, float]:
        value = self._value
        if value is not None and time.monotonic() - self._read_at < constants.STATISTICS_SECONDS:
            return value
        table = "search_doc_filter" if connection.vendor == "sqlite" else "search_pg_vector"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*), avg(length) FROM {table}")  # noqa: S608
            count, average = cursor.fetchone()
        with self._lock:
            self._value = (int(count or 0), float(average or 0.0))
            self._read_at = time.monotonic()
        return self._value

    def forget(self) -> None:
        """The index changed in this process: read again on the next search."""
        self._value = None


statistics = _Statistics()


def _date_conditions(query: SearchQuery, column: str) -> tuple[str, list]:
    start, end = common.date_bounds(query)
    conditions, params = [], []
    if start is not None:
        conditions.append(f"{column} >= %s")
        params.append(start.timestamp())
    if end is not None:
        conditions.append(f"{column} < %s")
        params.append(end.timestamp())
    return "".join(" AND " + c for c in conditions), params


def _sqlite_rows(analysed: AnalysedQuery, query: SearchQuery) -> list[tuple]:
    branches, params = [], []
    for index, clause in enumerate(analysed.clauses):
        branches.append((1 << index, fts5_clause(clause)))
        branches.append((1 << (TITLE_SHIFT + index), fts5_clause(clause, title_only=True)))
    if analysed.exact_bigrams:
        branches.append((EXACT_BIT, fts5_all_bigrams(analysed.exact_bigrams)))
    union = " UNION ALL ".join(
        f"SELECT rowid AS id, {bit} AS bit FROM search_fts WHERE search_fts MATCH %s"  # noqa: S608
        for bit, _expression in branches
    )
    params = [expression for _bit, expression in branches]
    dates, date_params = _date_conditions(query, "f.date")
    sql = (
        "SELECT f.id, m.mask, f.kind, f.date, f.topics"  # noqa: S608
        f" FROM (SELECT id, sum(bit) AS mask FROM ({union}) GROUP BY id) m"
        f" JOIN search_doc_filter f ON f.id = m.id WHERE 1 = 1{dates}"
        " ORDER BY f.date IS NULL, f.date DESC, f.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *date_params])
        return cursor.fetchall()


def _postgres_rows(analysed: AnalysedQuery, query: SearchQuery) -> list[tuple]:
    dates, date_params = _date_conditions(query, "date")
    branches, params = [], []
    for index, clause in enumerate(analysed.clauses):
        branches.append(
            f"SELECT document_id, {1 << index}::bigint + CASE WHEN title_vector @@ q"  # noqa: S608
            f" THEN {1 << (TITLE_SHIFT + index)}::bigint ELSE 0 END AS bit, kind, date, topics"
            f" FROM search_pg_vector, CAST(%s AS tsquery) q WHERE vector @@ q{dates}"
        )
        params.extend([pg_clause(clause), *date_params])
    if analysed.exact_bigrams:
        branches.append(
            f"SELECT document_id, {EXACT_BIT}::bigint AS bit, kind, date, topics"  # noqa: S608
            f" FROM search_pg_vector WHERE vector @@ CAST(%s AS tsquery){dates}"
        )
        params.extend([pg_all_bigrams(analysed.exact_bigrams), *date_params])
    sql = (
        "SELECT document_id, bit_or(bit), kind, date, topics"  # noqa: S608
        f" FROM ({' UNION ALL '.join(branches)}) s GROUP BY document_id, kind, date, topics"
        " ORDER BY date DESC NULLS LAST, document_id"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # The planner does not know that a sequential scan must read (detoast) every
        # document's vector: for common words it would pick one, at ten times the cost.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        # Inside a caller's transaction SET LOCAL would outlive this block.
        cursor.execute("RESET enable_seqscan")
    return rows


Row = tuple  # (id, mask, kind, date as epoch seconds, topics joined by TOPIC_SEPARATOR)


def _facets(groups: dict[int, list[Row]]) -> dict[str, dict[str, int]]:
    kinds: Counter = Counter()
    joined: Counter = Counter()
    for rows in groups.values():
        kinds.update(row[2] for row in rows)
        joined.update(row[4] for row in rows)
    topics: Counter = Counter()
    for value, count in joined.items():
        if value:
            for topic in value.split(TOPIC_SEPARATOR):
                topics[topic] += count
    return {"kind": dict(kinds.most_common()), "topic": dict(topics.most_common())}


def _rescore(analysed: AnalysedQuery, best: list[Candidate], idfs: list[float]) -> None:
    """Scores `best` in full on their ranking texts and puts them in order."""
    placeholders = ",".join(["%s"] * len(best))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ranking_text FROM search_indexeddocument"  # noqa: S608
            f" WHERE id IN ({placeholders})",
            [c.id for c in best],
        )
        texts = dict(cursor.fetchall())
    scorer = ranking.Scorer(analysed, idfs, statistics.get()[1])
    full = (1 << len(idfs)) - 1
    for candidate in best:
        candidate.score = scorer(candidate.mask & full, texts.get(candidate.id, ""))
    best.sort(key=lambda c: (-c.score, c.date is None, -(c.date or 0.0), c.id))


def _filtered(groups: dict[int, list[Row]], query: SearchQuery) -> dict[int, list[Row]]:
    """The groups without the rows the kind and topic filters exclude."""
    if query.kinds:
        kinds = set(query.kinds)
        groups = {mask: [r for r in rows if r[2] in kinds] for mask, rows in groups.items()}
    if query.topics:
        topics = set(query.topics)

        def wanted(row: Row) -> bool:
            return bool(row[4]) and not topics.isdisjoint(row[4].split(TOPIC_SEPARATOR))

        groups = {mask: [r for r in rows if wanted(r)] for mask, rows in groups.items()}
    return {mask: rows for mask, rows in groups.items() if rows}


def find(analysed: AnalysedQuery, query: SearchQuery, wanted: int) -> Ranked:
    """The matches of `query`, filtered and ordered; the first `wanted` in final order.

    `total` and `facets` count every match (facets before the kind and topic filters, so
    the other choices stay visible). The database returns the matches newest first; they
    are handled in groups sharing a mask (the clauses they match), so coverage and
    frequencies are computed once per group and each group stays newest first.
    """
    if connection.vendor == "sqlite":
        rows = _sqlite_rows(analysed, query)
    else:
        rows = _postgres_rows(analysed, query)
    clauses = len(analysed.clauses)
    full = (1 << clauses) - 1
    groups: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row[1]].append(row)
    groups.pop(0, None)
    for mask in [m for m in groups if not m & full]:
        del groups[mask]
    documents, _average = statistics.get()
    frequencies = [
        sum(len(members) for mask, members in groups.items() if mask >> index & 1)
        for index in range(clauses)
    ]
    idfs = [ranking.idf(df, documents) for df in frequencies]
    need = ranking.minimum_should_match(clauses)
    strict = {m: rows for m, rows in groups.items() if (m & full).bit_count() >= need}
    partial = not strict and bool(groups)
    kept = strict or groups
    facets = _facets(kept)
    kept = _filtered(kept, query)
    total = sum(len(rows) for rows in kept.values())
    scored = sorted(
        (
            (
                ranking.coverage(
                    mask & full,
                    mask >> TITLE_SHIFT & full,
                    bool(mask & EXACT_BIT) and query.sort != "date",
                    idfs,
                ),
                mask,
            )
            for mask in kept
        ),
        reverse=True,
    )
    if query.sort == "date":
        coverage = {mask: value for value, mask in scored}
        ordered_rows = heapq.merge(
            *kept.values(), key=lambda r: (r[3] is None, -(r[3] or 0.0), -coverage[r[1]], r[0])
        )
        candidates = [
            Candidate(r[0], r[1], r[2], r[3], r[4] or "", coverage[r[1]])
            for r in itertools.islice(ordered_rows, wanted)
        ]
        return Ranked(candidates, total, facets, partial)
    window = max(wanted, constants.RERANK_WINDOW)
    candidates: list[Candidate] = []
    for value, mask in scored:
        if len(candidates) >= window:
            break
        members = kept[mask][: window - len(candidates)]
        candidates.extend(Candidate(r[0], mask, r[2], r[3], r[4] or "", value) for r in members)
    best = candidates[: constants.RERANK_WINDOW]
    if best:
        _rescore(analysed, best, idfs)
    return Ranked((best + candidates[len(best) :])[:wanted], total, facets, partial)
