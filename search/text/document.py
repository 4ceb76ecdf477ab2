"""A document's text through the pipeline: what every backend indexes.

Index time only: title pinyin imports pypinyin (`search.text.pinyin`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from search.text.normalise import (
    bigrams_of_normalised,
    characters_of_normalised,
    clean_prefix,
    has_cjk,
    normalise,
)
from search.text.pinyin import char_pinyin
from search.text.ranking import ranking_text
from search.text.segment import Analyser


@dataclass(frozen=True)
class AnalysedDocument:
    """A document's title and body as tokens, pinyin, bigrams and characters."""

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


def analyse_text(
    title: str, body: str, suggest: Sequence[str], analyser: Analyser
) -> AnalysedDocument:
    """Runs the pipeline over a document's title and indexed body (may import pypinyin).

    `suggest`: the completion inputs the document carries; without them, its title's (the
    title, its full pinyin and its initials).
    """
    title = normalise(title)
    body = normalise(body)
    title_tokens = analyser.tokens_of_normalised(title)
    syllables = char_pinyin(title) if title else []
    pinyin: list[str] = []
    for token in dict.fromkeys(title_tokens):
        index = title.find(token)
        if index < 0 or not has_cjk(token):
            continue
        pinyin.append(clean_prefix("".join(syllables[index : index + len(token)])))
    full = clean_prefix("".join(syllables))
    initials = clean_prefix("".join(s[:1] for s in syllables))
    if has_cjk(title):
        pinyin.extend([full, initials])
    if suggest:
        inputs = tuple(dict.fromkeys(clean_prefix(s) for s in suggest))
    else:
        inputs = tuple(dict.fromkeys([clean_prefix(title), full, initials]))
    pinyin = [p for p in pinyin if p]
    return AnalysedDocument(
        title_tokens=title_tokens,
        body_tokens=analyser.tokens_of_normalised(body),
        pinyin=pinyin,
        title_bigrams=bigrams_of_normalised(title),
        body_bigrams=bigrams_of_normalised(body),
        suggest=tuple(s for s in inputs if s),
        title_chars=tuple(characters_of_normalised(title)),
        body_chars=tuple(characters_of_normalised(body)),
        ranking_text=ranking_text(title, pinyin, body),
    )
