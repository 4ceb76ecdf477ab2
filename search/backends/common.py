"""What every backend shares: document analysis, date bounds, highlighting, best passages.

Highlights and snippets are made here, on the original text, rather than by a backend: the
backends index pre-segmented text (tokens joined by spaces), whose own highlighter would
show those spaces. Matching is done on the normalised text and mapped back character by
character, so a Traditional document shows its own characters with the Simplified query's
words marked. A snippet is the passage where most of the query's words occur together
(`search.passages`), not merely the first match.
"""

from __future__ import annotations

import datetime
import html
import re
import unicodedata
from dataclasses import dataclass

from kepu.days import day_start
from search import passages, pipeline, ranking
from search.backends.base import SearchDocument, SearchQuery
from search.query import AnalysedQuery

SNIPPET_CHARS = 120


@dataclass(frozen=True)
class AnalysedDocument:
    """A document's text through the pipeline: what every backend indexes."""

    title_tokens: list[str]
    body_tokens: list[str]
    pinyin: list[str]
    title_bigrams: list[str]
    body_bigrams: list[str]
    suggest: tuple[str, ...]
    # Distinct characters (a lone one-character query matches them) and what the embedded
    # backend ranks by (`ranking.ranking_text`).
    title_chars: tuple[str, ...] = ()
    body_chars: tuple[str, ...] = ()
    ranking_text: str = ""


def document_body(document: SearchDocument) -> str:
    """The indexed body: summary, body, topics and section, cut at MAX_BODY_CHARS."""
    parts = [document.summary, document.body, " ".join(document.topics), document.section]
    return "\n".join(p for p in parts if p)[: pipeline.MAX_BODY_CHARS]


def analyse_document(document: SearchDocument) -> AnalysedDocument:
    """Runs the pipeline over a document (index time: may import pypinyin)."""
    title = pipeline.normalise(document.title)
    body = pipeline.normalise(document_body(document))
    title_tokens = pipeline.tokens_of_normalised(title)
    syllables = pipeline._char_pinyin(title) if title else []
    pinyin: list[str] = []
    for token in dict.fromkeys(title_tokens):
        index = title.find(token)
        if index < 0 or not pipeline._CJK_RUN.search(token):
            continue
        pinyin.append(pipeline.clean_prefix("".join(syllables[index : index + len(token)])))
    full = pipeline.clean_prefix("".join(syllables))
    initials = pipeline.clean_prefix("".join(s[:1] for s in syllables))
    if pipeline._CJK_RUN.search(title):
        pinyin.extend([full, initials])
    if document.suggest:
        suggest = tuple(dict.fromkeys(pipeline.clean_prefix(s) for s in document.suggest))
    else:
        suggest = tuple(dict.fromkeys([pipeline.clean_prefix(title), full, initials]))
    pinyin = [p for p in pinyin if p]
    return AnalysedDocument(
        title_tokens=title_tokens,
        body_tokens=pipeline.tokens_of_normalised(body),
        pinyin=pinyin,
        title_bigrams=pipeline.bigrams_of_normalised(title),
        body_bigrams=pipeline.bigrams_of_normalised(body),
        suggest=tuple(s for s in suggest if s),
        title_chars=tuple(pipeline.characters_of_normalised(title)),
        body_chars=tuple(pipeline.characters_of_normalised(body)),
        ranking_text=ranking.ranking_text(title, pinyin, body),
    )


def date_bounds(query: SearchQuery) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """[start, end) as aware datetimes: whole days in the site's time zone (Asia/Shanghai)."""
    start = end = None
    if query.date_from:
        start = day_start(query.date_from)
    if query.date_to:
        end = day_start(query.date_to + datetime.timedelta(days=1))
    return start, end


def bounded(query: SearchQuery) -> tuple[int, int]:
    """offset and limit kept in a sane range whatever the caller passed."""
    offset = max(0, min(int(query.offset or 0), 10_000))
    limit = max(1, min(int(query.limit or 10), 100))
    return offset, limit


# --- highlighting -------------------------------------------------------------------------------


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original one."""
    converted = pipeline.normalise(text)
    if len(converted) == len(text):
        return converted, list(range(len(text)))
    # NFKC changed lengths ("…" → "..."): map character by character after the conversion
    # to Simplified, which keeps lengths almost always (else the slow path, per character).
    simplified = pipeline.simplified(text)
    pieces = simplified if len(simplified) == len(text) else None
    chars: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        if pieces is not None:
            normalised = unicodedata.normalize("NFKC", pieces[i]).casefold()
        else:
            normalised = pipeline.normalise_char(char)
        chars.append(normalised)
        origin.extend([i] * len(normalised))
    return "".join(chars), origin


def _pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    terms = tuple(t for t in terms if t)
    return re.compile("|".join(re.escape(t) for t in terms)) if terms else None


def _spans(normalised: str, origin: list[int], pattern: re.Pattern | None) -> list[tuple[int, int]]:
    """Non-overlapping [start, end) spans of the original text where `pattern` matches its
    normalised form."""
    if pattern is None or not normalised:
        return []
    merged: list[tuple[int, int]] = []
    for match in pattern.finditer(normalised):
        if match.end() > match.start():
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            if not merged or start >= merged[-1][1]:
                merged.append((start, end))
    return merged


def _match_spans(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Non-overlapping [start, end) spans of `terms` in the original `text`."""
    if not text or not terms:
        return []
    return _spans(*_normalised_with_map(text), _pattern(terms))


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out = []
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out.append(html.escape(text[position:span_start]))
        out.append("<mark>" + html.escape(text[span_start:span_end]) + "</mark>")
        position = span_end
    out.append(html.escape(text[position:end]))
    return "".join(out)


def highlight(text: str, terms: tuple[str, ...]) -> str:
    """All of `text`, HTML-escaped, with every occurrence of `terms` in <mark>."""
    return _render(text, _match_spans(text, terms), 0, len(text))


def snippet(texts: list[str], query: AnalysedQuery, size: int = SNIPPET_CHARS) -> str:
    """The best passage of about `size` characters, HTML-escaped, matches in <mark>.

    Best: the window holding the most distinct clauses of the query, then the most
    occurrences, then the earliest, looked for in each of `texts` (summary, body) in turn;
    a text that holds none starts the snippet when no text holds any.
    """
    strings = [ranking.evidence(clause) for clause in query.clauses]
    best = None
    for text in texts:
        text = " ".join((text or "").split())
        if not text or not strings:
            continue
        normalised, origin = _normalised_with_map(text)
        window = passages.best_window(
            passages.occurrences(normalised, strings), [1.0] * len(strings), size
        )
        if window is not None and (best is None or window[0] > best[0]):
            best = (window[0], text, normalised, origin, window[1], window[2])
    if best is not None:
        _weight, text, normalised, origin, first, last = best
        first, last = origin[first], origin[last - 1] + 1
        # Some context before the passage, the rest after it.
        start = max(0, min(first - (size - (last - first)) // 3, len(text) - size))
        end = min(len(text), start + size)
        spans = _spans(normalised, origin, _pattern(query.highlight_terms()))
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(text) else ""
        return prefix + _render(text, spans, start, end) + suffix
    for text in texts:
        text = " ".join((text or "").split())
        if text:
            return html.escape(text[:size]) + ("…" if len(text) > size else "")
    return ""
