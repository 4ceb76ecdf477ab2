"""The embedded backend's query and document text in each database's full-text syntax.

An analysed query becomes an FTS5 MATCH expression (SQLite) or a tsquery literal
(PostgreSQL); an analysed document becomes a tsvector literal. Every token is quoted, so no
query syntax ever leaks from what a user typed.
"""

from __future__ import annotations

import re

from search import pipeline
from search.backends import common

# ts_rank_cd weights for D, C, B, A: body bigrams (D), body tokens (C), title pinyin and title
# bigrams (B), title tokens (A).
PG_WEIGHTS = "{0.1,0.25,0.5,1.0}"
PG_MAX_POSITION = 16383
PG_MAX_POSITIONS_PER_LEXEME = 255

_PLAIN = re.compile(r"^[^'\\]+$")


def _quote_fts5(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _quote_pg(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def fts5_expression(query: pipeline.AnalysedQuery) -> str:
    """The FTS5 MATCH expression of an analysed query (every token quoted: no syntax leaks)."""
    clauses = []
    for clause in query.clauses:
        alternatives = []
        for alt in clause:
            alternatives.append("{title body pinyin} : " + _quote_fts5(alt.word))
            if alt.bigrams:
                every = " AND ".join(_quote_fts5(b) for b in alt.bigrams)
                alternatives.append("{title_bigrams body_bigrams} : (" + every + ")")
        clauses.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(clauses)


def pg_tsquery(query: pipeline.AnalysedQuery) -> str:
    """The tsquery literal of an analysed query.

    No phrase operator: GIN then answers exactly, without reading (detoasting) each
    candidate's vector to recheck positions.
    """
    clauses = []
    for clause in query.clauses:
        alternatives = []
        for alt in clause:
            alternatives.append(_quote_pg(alt.word))
            if alt.bigrams:
                alternatives.append("(" + " & ".join(_quote_pg(b) for b in alt.bigrams) + ")")
        clauses.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(clauses)


def pg_tsvector(analysed: common.AnalysedDocument) -> str:
    """The tsvector literal of a document: lexemes with positions and weights.

    Tokens and bigrams hold only letters and digits (the pipeline drops everything else),
    so lexemes need quoting but no escaping; `_quote_pg` still guards the odd one.
    """
    positions: dict[str, list[str]] = {}

    def add(lexemes, weight, first):
        for offset, lexeme in enumerate(lexemes):
            entry = positions.get(lexeme)
            if entry is None:
                positions[lexeme] = entry = []
            if len(entry) < PG_MAX_POSITIONS_PER_LEXEME:
                position = first + offset
                entry.append(
                    f"{position if position < PG_MAX_POSITION else PG_MAX_POSITION}{weight}"
                )
        return first + len(lexemes)

    after_title = add(analysed.title_tokens, "A", 1)
    add(analysed.pinyin, "B", after_title)
    add(analysed.body_tokens, "C", after_title + len(analysed.pinyin) + 1)
    # Bigrams share lexemes with two-character tokens (a two-character token is always one
    # of the text's bigrams, so matching is unchanged): a quarter fewer GIN entries to write.
    after_title_bigrams = add(analysed.title_bigrams, "B", 1)
    add(analysed.body_bigrams, "D", after_title_bigrams + 1)
    return " ".join(
        (f"'{lex}':" if _PLAIN.match(lex) else _quote_pg(lex) + ":") + ",".join(pos)
        for lex, pos in positions.items()
    )


def pg_title_tsvector(analysed: common.AnalysedDocument) -> str:
    """The small vector of the title alone (stored inline): ranks any number of matches."""
    return pg_tsvector(
        common.AnalysedDocument(
            title_tokens=analysed.title_tokens,
            body_tokens=[],
            pinyin=analysed.pinyin,
            title_bigrams=analysed.title_bigrams,
            body_bigrams=[],
            suggest=(),
        )
    )
