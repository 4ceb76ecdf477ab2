"""The word lists the pipeline reads: words to keep whole, synonym groups and stop words.

The committed lists live beside this module (`words/base.txt`, `words/stopwords.txt`);
organisers add to them in the admin, and `search.dictionary` loads those words from the
database and builds the `Lexicon` from both.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from search.text.normalise import normalise

WORDS = Path(__file__).resolve().parent / "words"
BASE_DICTIONARY = WORDS / "base.txt"
BASE_STOP_WORDS = WORDS / "stopwords.txt"


def read_word_list(path: Path) -> list[str]:
    """The words of a committed list (one per line, # comments), normalised."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(normalise(line.split()[0]))
    return words


@functools.cache
def base_words() -> tuple[str, ...]:
    """The committed base dictionary (words/base.txt), normalised."""
    return tuple(read_word_list(BASE_DICTIONARY))


@functools.cache
def base_stop_words() -> tuple[str, ...]:
    """The committed stop words (words/stopwords.txt), normalised."""
    return tuple(read_word_list(BASE_STOP_WORDS))


@dataclass(frozen=True)
class Lexicon:
    """Everything the pipeline needs to know about words, normalised.

    `whole`: words the segmenter keeps whole, in the order they are added to it;
    `synonyms`: {term: its group's other terms}; `stop_words`: words a query need not match.
    Two lexicons are equal when their lists are, so a process can keep its segmenter while
    the words stay the same.
    """

    whole: tuple[str, ...]
    synonyms: dict[str, tuple[str, ...]]
    stop_words: frozenset[str]


def build_lexicon(
    words: Iterable[str] = (),
    stop_words: Iterable[str] = (),
    synonym_groups: Iterable[Iterable[str]] = (),
) -> Lexicon:
    """The committed lists plus organisers' `words`, `stop_words` and `synonym_groups`
    (each group: its normalised terms).

    Stop words and synonym terms are kept whole too: a question word such as 哪一门 must
    segment whole to be recognised, and so must each synonym to be expanded.
    """
    groups = [list(group) for group in synonym_groups]
    stop_words = list(stop_words)
    whole = [
        *base_words(),
        *base_stop_words(),
        *words,
        *stop_words,
        *(term for group in groups for term in group),
    ]
    mapping: dict[str, tuple[str, ...]] = {}
    for terms in groups:
        for term in terms:
            others = [t for t in terms if t != term]
            mapping[term] = tuple(dict.fromkeys([*mapping.get(term, ()), *others]))
    return Lexicon(
        whole=tuple(whole),
        synonyms=mapping,
        stop_words=frozenset([*base_stop_words(), *(normalise(w) for w in stop_words)]),
    )
