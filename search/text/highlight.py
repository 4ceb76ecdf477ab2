"""Highlighting and snippets, made on the original text.

Matching is done on the normalised text and mapped back character by character, so a
Traditional document shows its own characters with the Simplified query's words marked. A
snippet is the passage where most of the query's words occur together (`passages`), not
merely the first match. Backends index pre-segmented text (tokens joined by spaces), whose
own highlighter would show those spaces, so every backend highlights here.
"""

from __future__ import annotations

import html
import re
import unicodedata

from search.constants import SNIPPET_CHARS
from search.text import passages
from search.text.normalise import normalise, simplified
from search.text.query import AnalysedQuery
from search.text.ranking import evidence


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original one."""
    converted = normalise(text)
    if len(converted) == len(text):
        return converted, list(range(len(text)))
    # NFKC changed lengths ("…" → "..."): map character by character after the conversion
    # to Simplified, which keeps lengths almost always (else the slow path, per character).
    converted = simplified(text)
    pieces = converted if len(converted) == len(text) else None
    chars: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        if pieces is not None:
            normalised = unicodedata.normalize("NFKC", pieces[i]).casefold()
        else:
            normalised = normalise(char)
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
    strings = [evidence(clause) for clause in query.clauses]
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
