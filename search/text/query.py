"""Query understanding: what a typed query asks every backend to match, and how to rank it.

A query is read the way people type into a phone, as a sentence that is a bag of weighted
words: "科协如何开展应急科普" asks for documents about 科协, 开展, 应急 and 科普, not for the
word 如何. `analyse_query` turns any text into an `AnalysedQuery`:

- **clauses**, one per meaningful word (the lexicon's stop words and question words need
  not match). A clause is satisfied by any of its
  alternatives, the word and its synonyms, so a synonym group counts once. An alternative
  matches as a token (title, body, title pinyin) or by all of its character bigrams.
- a **one-character word** is backed by the query's bigrams around it (三舱式结构 → 式 also
  matches as 舱式 or 式结), because the documents' segmentation rarely leaves it alone; a
  one-character word with no neighbour (a bare 协) matches the character anywhere, and one
  next to a question word (做 in 心肺复苏怎么做) is left to the exact phrase when the query
  has longer words.
- the **exact phrase** (the whole query, when it has several words or one long word) and the
  **phrases** (runs of adjacent meaningful words) for the exactness and phrase boosts.

Which documents match and how they rank (all words first, then coverage, phrase, proximity,
title) is `search.text.ranking`; every backend implements it. Never raises; bounded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from search.constants import MAX_PHRASES, MAX_QUERY_CHARS, MAX_QUERY_CLAUSES
from search.text.normalise import bigrams_of_normalised, is_cjk, normalise
from search.text.segment import Analyser

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Alternative:
    """One way to satisfy a clause: the word as a token, or all of its bigrams."""

    word: str
    bigrams: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clause:
    """One meaningful word of the query, satisfied by any of its alternatives.

    `alternatives[0]` is the word the user typed, the others its synonyms. `backing` holds
    the query's bigrams around a one-character word (any of them satisfies the clause too);
    `anywhere` is set for a one-character word without neighbours: the character anywhere.
    """

    word: str
    alternatives: tuple[Alternative, ...]
    backing: tuple[str, ...] = ()
    anywhere: bool = False

    def __iter__(self):
        return iter(self.alternatives)

    def __getitem__(self, index: int) -> Alternative:
        return self.alternatives[index]

    def __len__(self) -> int:
        return len(self.alternatives)

    @property
    def matching(self) -> tuple[Alternative, ...]:
        """The alternatives an index matches: all of them, except a one-character word
        backed by its neighbours (as a token it would match nearly every document)."""
        if self.backing:
            return tuple(alt for alt in self.alternatives if len(alt.word) > 1)
        return self.alternatives

    @property
    def strings(self) -> tuple[str, ...]:
        """What shows the clause in a normalised text (ranking and passages): its words and
        backing bigrams, longest first."""
        found = {alt.word for alt in self.alternatives} | set(self.backing)
        return tuple(sorted(found, key=lambda s: (-len(s), s)))


@dataclass(frozen=True)
class AnalysedQuery:
    """A query as every backend runs it (see `search.text.ranking` for the rules)."""

    text: str
    clauses: tuple[Clause, ...] = ()
    # The whole query as one phrase (several words typed together), for the exactness boost.
    exact: str = ""
    # Runs of at least two adjacent meaningful words, for the phrase boost.
    phrases: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.clauses

    @property
    def exact_bigrams(self) -> tuple[str, ...]:
        """The bigrams a document holding the exact phrase must hold (its candidates)."""
        return tuple(dict.fromkeys(bigrams_of_normalised(self.exact)))

    def highlight_terms(self) -> tuple[str, ...]:
        """Every string to mark in results, longest first (so 新型冠状病毒 beats 病毒).

        The phrases and each clause's words; a one-character word only where it stands alone
        (elsewhere it would mark every occurrence of a common character) — its backing
        bigrams are marked instead.
        """
        terms = {self.exact, *self.phrases}
        for clause in self.clauses:
            terms.update(clause.backing)
            for alt in clause.alternatives:
                if len(alt.word) > 1 or clause.anywhere or not is_cjk(alt.word):
                    terms.add(alt.word)
        return tuple(sorted((t for t in terms if t), key=lambda t: (-len(t), t)))


def _alternative(word: str) -> Alternative:
    if len(word) >= 2 and is_cjk(word):
        return Alternative(word, tuple(bigrams_of_normalised(word)))
    return Alternative(word)


def _locate(text: str, words: list[str]) -> list[int]:
    """The start of each word in `text` (they come from it, in order)."""
    positions, cursor = [], 0
    for word in words:
        found = text.find(word, cursor)
        positions.append(found)
        if found >= 0:
            cursor = found + len(word)
    return positions


def _backing(text: str, start: int, stop: set[int]) -> tuple[str, ...]:
    """The bigrams of `text` around the one-character word at `start`, leaving out a
    neighbour that belongs to a longer stop or question word (怎么做 → not 么做: no answer
    holds it)."""
    out = []
    if start > 0 and start - 1 not in stop and is_cjk(text[start - 1 : start + 1]):
        out.append(text[start - 1 : start + 1])
    pair = text[start : start + 2]
    if len(pair) == 2 and start + 1 not in stop and is_cjk(pair):
        out.append(pair)
    return tuple(out)


def _runs(words: list[str], positions: list[int], meaningful: list[bool]) -> list[list[str]]:
    """Runs of adjacent words (nothing between them in the text) among those flagged."""
    runs: list[list[str]] = []
    end = None
    for word, start, keep in zip(words, positions, meaningful, strict=True):
        if not keep or start < 0:
            end = None
            continue
        if end is not None and start == end:
            runs[-1].append(word)
        else:
            runs.append([word])
        end = start + len(word)
    return runs


def _split_stop_words(words: list[str], stop_words: frozenset[str]) -> list[str]:
    """Chinese words with a leading or trailing question word split off: jieba's dictionary
    holds a few such compounds (什么游戏) that no answer contains."""
    longer = sorted((w for w in stop_words if len(w) > 1 and is_cjk(w)), key=len, reverse=True)
    out: list[str] = []
    for word in words:
        if len(word) > 2 and word not in stop_words and is_cjk(word):
            head = next((w for w in longer if len(word) > len(w) and word.startswith(w)), "")
            if head:
                out.append(head)
                word = word[len(head) :]
            tail = next((w for w in longer if len(word) > len(w) and word.endswith(w)), "")
            if tail:
                out.extend([word[: -len(tail)], tail])
                continue
        out.append(word)
    return out


def _joined(words: list[str]) -> str:
    """Words as written together: CJK without spaces, Latin words and numbers with one."""
    out = ""
    for word in words:
        if out and not (is_cjk(out[-1]) or is_cjk(word[0])):
            out += " "
        out += word
    return out


def analyse_query(text: str, analyser: Analyser) -> AnalysedQuery:
    """Parses anything a user can type into clauses and phrases under `analyser`'s words,
    synonyms and stop words; never raises.

    Bounded (MAX_QUERY_CHARS, MAX_QUERY_CLAUSES); punctuation, Lucene syntax, emoji and NULs
    vanish; stop and question words are dropped unless nothing else is left; each word is
    expanded with its synonyms (one clause per word, any alternative satisfies it).
    """
    try:
        if not isinstance(text, str):
            text = str(text or "")
        normalised = normalise(text[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS]
        lexicon = analyser.lexicon
        words = _split_stop_words(analyser.words(normalised), lexicon.stop_words)
        positions = _locate(normalised, words)
        meaningful = [word not in lexicon.stop_words for word in words]
        if not any(meaningful):
            meaningful = [True] * len(words)
        # Characters of longer stop and question words (怎么, 哪一), which never back a
        # neighbour. A one-character one (会, 上) may be part of a name the segmenter does
        # not know (广东新会 → 广东/新/会), so it still does.
        stop = {
            start + offset
            for word, start, keep in zip(words, positions, meaningful, strict=True)
            if not keep and start >= 0 and len(word) > 1
            for offset in range(len(word))
        }
        longer_words = any(
            keep and len(word) > 1 for word, keep in zip(words, meaningful, strict=True)
        )
        clauses: list[Clause] = []
        seen: set[str] = set()
        for word, start, keep in zip(words, positions, meaningful, strict=True):
            if not keep or word in seen or len(clauses) >= MAX_QUERY_CLAUSES:
                continue
            seen.add(word)
            names = dict.fromkeys([word, *lexicon.synonyms.get(word, ())])
            backing = ()
            if len(word) == 1 and is_cjk(word) and start >= 0:
                backing = _backing(normalised, start, stop)
                if not backing and longer_words and {start - 1, start + 1} & stop:
                    # Part of the question's form (怎么做, 有什么用): the longer words say
                    # what it is about; as a lone character it would match nearly anything.
                    continue
            clauses.append(
                Clause(
                    word=word,
                    alternatives=tuple(_alternative(name) for name in names),
                    backing=backing,
                    anywhere=len(word) == 1 and is_cjk(word) and not backing,
                )
            )
        # Several words, or one long word (whose bigrams can also match apart).
        exact = ""
        if len(words) > 1 or (words and len(words[0]) > 2 and is_cjk(words[0])):
            exact = _joined(words)
        phrases = [_joined(run) for run in _runs(words, positions, meaningful) if len(run) > 1]
        phrases = [p for p in dict.fromkeys(phrases) if p != exact][:MAX_PHRASES]
        return AnalysedQuery(
            " ".join(normalised.split()), tuple(clauses), exact=exact, phrases=tuple(phrases)
        )
    except Exception:  # the search box must never fail the page
        logger.exception("query analysis failed")
        return AnalysedQuery("")
