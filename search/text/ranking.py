"""The ranking rules every backend follows, whatever it is built on.

Anchored on Elasticsearch's `bool` query (`minimum_should_match`, `match_phrase` boosts) and
Meilisearch's ranking rules (words, proximity, attribute, exactness):

1. **Matching.** A document matches a clause (`search.text.query`) when it holds any of the
   clause's alternatives. It is a result when it matches at least
   `minimum_should_match(n)` of the query's n clauses: all of them up to three, 60 % of
   them beyond (Elasticsearch's "3<60%"). When no document gets there the search is
   relaxed to any one clause, so a question finds the best partial answers rather than
   nothing (`SearchResults.partial`).
2. **Order**, highest score first:
   - documents that match every clause (`ALL_TERMS_BOOST`);
   - then those holding the exact phrase of the query as typed (`EXACT_PHRASE_BOOST`);
   - then by relevance: for each matched clause a BM25 score — the clause's IDF from its
     document frequency (a synonym group counts once: its frequency is that of the union,
     its occurrences those of its best word), its occurrences in the title
     (×`TITLE_WEIGHT`, title pinyin included) and body, and the body's length against the
     average — plus `PHRASE_BOOST` per character of each run of adjacent words found as
     written, plus a proximity boost when the matched clauses occur close together in the
     title or the body (up to `PROXIMITY_SHARE` of their IDF);
   - then the newest, then the key.

The embedded backend computes exactly this (`score`) on the stored normalised text of the
best `RERANK_WINDOW` candidates (picked by `coverage`, which needs no text); Elasticsearch
gets the same rules as one `bool` query (search/backends/elastic_documents.py). The numbers
are in `search.constants`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from search.constants import (
    ALL_TERMS_BOOST,
    EXACT_PHRASE_BOOST,
    K1,
    PHRASE_BOOST,
    PROXIMITY_SHARE,
    TITLE_WEIGHT,
    UNSEEN_SHARE,
    B,
)
from search.text import passages
from search.text.query import AnalysedQuery, Clause


def minimum_should_match(clauses: int) -> int:
    """How many of `clauses` a document must match: all up to three, else 60 % (rounded
    down, as Elasticsearch does), at least one."""
    if clauses <= 3:
        return max(1, clauses)
    return max(1, math.floor(clauses * 0.6))


def idf(document_frequency: int, documents: int) -> float:
    """BM25's inverse document frequency (Lucene's form, never negative)."""
    documents = max(documents, document_frequency, 1)
    return math.log(1 + (documents - document_frequency + 0.5) / (document_frequency + 0.5))


def coverage(mask: int, title_mask: int, exact: bool, idfs: Sequence[float]) -> float:
    """The score a candidate gets before its text is read: every clause first, then the
    exact-phrase candidates, then the IDF of the clauses it matches (twice in the title)."""
    full = (1 << len(idfs)) - 1
    score = ALL_TERMS_BOOST if mask & full == full else 0.0
    if exact:
        score += EXACT_PHRASE_BOOST
    for index, weight in enumerate(idfs):
        if mask >> index & 1:
            score += weight * (2.0 if title_mask >> index & 1 else 1.0)
    return score


def evidence(clause: Clause) -> tuple[str, ...]:
    """The strings whose occurrences count for a clause: a one-character word counts where
    its query neighbours are (its backing bigrams), not at every occurrence of the
    character; any other clause by its words."""
    if clause.backing:
        longer = tuple(alt.word for alt in clause.alternatives if len(alt.word) > 1)
        return tuple(sorted({*longer, *clause.backing}, key=lambda s: (-len(s), s)))
    return clause.strings


def split_ranking_text(text: str) -> tuple[str, str, str]:
    """The title, title pinyin and body of a stored ranking text (see `ranking_text`)."""
    title, _, rest = (text or "").partition("\n")
    pinyin, _, body = rest.partition("\n")
    return title, pinyin, body


def ranking_text(title: str, pinyin: Sequence[str], body: str) -> str:
    """What the embedded backend stores to rank a document: its normalised title, the
    pinyin of its title words and its normalised body, one line each (the body may hold
    more lines)."""
    return " ".join(title.split()) + "\n" + " ".join(pinyin) + "\n" + body


class Scorer:
    """`score` for the candidates of one query: what depends only on the query (the strings
    of each clause, the full mask) is worked out once."""

    def __init__(self, query: AnalysedQuery, idfs: Sequence[float], average_length: float):
        self.query = query
        self.idfs = list(idfs)
        self.average_length = max(average_length, 1.0)
        self.strings = [evidence(clause) for clause in query.clauses]
        self.full = (1 << len(query.clauses)) - 1

    def __call__(self, mask: int, text: str) -> float:
        """A candidate's full score from its ranking text; `mask` has bit i set when the
        index says it matches clause i."""
        title, pinyin, body = split_ranking_text(text)
        pinyin_words = pinyin.split()
        exact = self.query.exact
        total = ALL_TERMS_BOOST if mask & self.full == self.full else 0.0
        if exact and (exact in title or exact in body):
            total += EXACT_PHRASE_BOOST
        length = 1 - B + B * len(body) / self.average_length
        for index, strings in enumerate(self.strings):
            if not mask >> index & 1:
                continue
            in_title = max(title.count(s) + pinyin_words.count(s) for s in strings)
            frequency = TITLE_WEIGHT * in_title + max(body.count(s) for s in strings)
            if frequency:
                total += self.idfs[index] * frequency * (K1 + 1) / (frequency + K1 * length)
            else:
                total += self.idfs[index] * UNSEEN_SHARE
        for phrase in self.query.phrases:
            if phrase in title or phrase in body:
                total += PHRASE_BOOST * len(phrase)
        if (mask & self.full).bit_count() < 2:
            return total
        matched = [s if mask >> i & 1 else () for i, s in enumerate(self.strings)]
        return total + max(
            _proximity(title, matched, self.idfs), _proximity(body, matched, self.idfs)
        )


def score(
    query: AnalysedQuery,
    idfs: Sequence[float],
    mask: int,
    text: str,
    average_length: float,
) -> float:
    """A candidate's full score under the rules above, from its ranking text; `mask` has
    bit i set when the index says it matches clause i."""
    return Scorer(query, idfs, average_length)(mask, text)


def _proximity(text: str, strings: list[tuple[str, ...]], idfs: Sequence[float]) -> float:
    """The proximity boost of one text: the IDF of the clauses it holds, times how close
    together they are (1 when adjacent), times PROXIMITY_SHARE; 0 for fewer than two."""
    found = passages.occurrences(text, strings)
    present, span = passages.minimal_span(found)
    if present < 2 or not span:
        return 0.0
    clauses = {clause for _start, _end, clause in found}
    ideal = sum(min(len(s) for s in strings[c]) for c in clauses)
    return PROXIMITY_SHARE * sum(idfs[c] for c in clauses) * min(1.0, ideal / span)
