"""The embedded backend's query and document text in each database's full-text syntax.

A query clause becomes an FTS5 MATCH expression (SQLite) or a tsquery literal (PostgreSQL);
an analysed document becomes tsvector literals. Every token is quoted, so no query syntax
ever leaks from what a user typed.

On PostgreSQL the vectors hold lexemes only, without positions or weights: the index only
answers which documents match which clause (GIN then answers exactly, without reading any
document's vector again), and the ranking reads the stored text (`search.text.ranking`).
Characters are stored as `_` + character, apart from one-character tokens (tokens never
hold `_`), so "the word 做" and "the character 做 anywhere" stay different questions.
"""

from __future__ import annotations

import re

from search.backends import common
from search.text.query import Clause

CHAR_MARK = "_"

_PLAIN = re.compile(r"^[^'\\\s]+$")


def _quote_fts5(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _quote_pg(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def fts5_clause(clause: Clause, *, title_only: bool = False) -> str:
    """The FTS5 MATCH expression of one clause (in the title only, if asked)."""
    tokens = "{title pinyin}" if title_only else "{title body pinyin}"
    bigrams = "{title_bigrams}" if title_only else "{title_bigrams body_bigrams}"
    chars = "{title_chars}" if title_only else "{title_chars body_chars}"
    alternatives = []
    for alt in clause.matching:
        alternatives.append(f"{tokens} : {_quote_fts5(alt.word)}")
        if alt.bigrams:
            every = " AND ".join(_quote_fts5(b) for b in alt.bigrams)
            alternatives.append(f"{bigrams} : ({every})")
    alternatives.extend(f"{bigrams} : {_quote_fts5(b)}" for b in clause.backing)
    if clause.anywhere:
        alternatives.append(f"{chars} : {_quote_fts5(clause.word)}")
    return "(" + " OR ".join(alternatives) + ")"


def fts5_all_bigrams(bigrams: tuple[str, ...]) -> str:
    """Documents holding every bigram of the exact phrase (its candidates)."""
    return "{title_bigrams body_bigrams} : (" + " AND ".join(_quote_fts5(b) for b in bigrams) + ")"


def pg_clause(clause: Clause) -> str:
    """The tsquery literal of one clause (for the document's or the title's vector)."""
    alternatives = []
    for alt in clause.matching:
        alternatives.append(_quote_pg(alt.word))
        if alt.bigrams:
            alternatives.append("(" + " & ".join(_quote_pg(b) for b in alt.bigrams) + ")")
    alternatives.extend(_quote_pg(b) for b in clause.backing)
    if clause.anywhere:
        alternatives.append(_quote_pg(CHAR_MARK + clause.word))
    return "(" + " | ".join(alternatives) + ")"


def pg_all_bigrams(bigrams: tuple[str, ...]) -> str:
    """Documents holding every bigram of the exact phrase (its candidates)."""
    return " & ".join(_quote_pg(b) for b in bigrams)


def _tsvector(lexemes) -> str:
    return " ".join(
        f"'{lexeme}'" if _PLAIN.match(lexeme) else _quote_pg(lexeme)
        for lexeme in dict.fromkeys(lexemes)
        if lexeme
    )


def pg_tsvector(analysed: common.AnalysedDocument) -> str:
    """The document's lexemes: tokens, title pinyin, bigrams and marked characters.

    Bigrams share lexemes with two-character tokens (a two-character token is always one of
    the text's bigrams, so matching is unchanged): fewer GIN entries to write.
    """
    return _tsvector(
        [
            *analysed.title_tokens,
            *analysed.body_tokens,
            *analysed.pinyin,
            *analysed.title_bigrams,
            *analysed.body_bigrams,
            *(CHAR_MARK + c for c in analysed.title_chars),
            *(CHAR_MARK + c for c in analysed.body_chars),
        ]
    )


def pg_title_tsvector(analysed: common.AnalysedDocument) -> str:
    """The title's lexemes alone (small, stored inline): which clauses a title matches."""
    return _tsvector(
        [
            *analysed.title_tokens,
            *analysed.pinyin,
            *analysed.title_bigrams,
            *(CHAR_MARK + c for c in analysed.title_chars),
        ]
    )
