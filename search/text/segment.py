"""Segmentation: jieba (through rjieba) with a lexicon's words kept whole.

An `Analyser` pairs a `Lexicon` with the tokenizer built from it. The tokenizer is built on
first use, once, under a lock (building it reads jieba's whole dictionary: about a second);
`search.dictionary` keeps one analyser per process and replaces it only when the words change.
"""

from __future__ import annotations

import threading

from search.text.lexicon import Lexicon, build_lexicon
from search.text.normalise import normalise, word_runs


class Analyser:
    """Tokens, query words, synonyms and stop words under one lexicon."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self._tokenizer = None
        self._lock = threading.Lock()

    @property
    def tokenizer(self):
        tokenizer = self._tokenizer
        if tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    self._tokenizer = _build_tokenizer(self.lexicon)
                tokenizer = self._tokenizer
        return tokenizer

    @property
    def loaded(self) -> bool:
        """Whether the tokenizer is built (warm-up makes it so before the first search)."""
        return self._tokenizer is not None

    def tokens_of_normalised(self, text: str) -> list[str]:
        """`tokens` for text already normalised (documents normalise once for several uses)."""
        if not text:
            return []
        out: list[str] = []
        for piece in self.tokenizer.cut_for_search(text, True):
            out.extend(word_runs(piece))
        return out

    def tokens(self, text: str) -> list[str]:
        """Words of `text` in jieba's search mode (long words also yield their known parts).

        Normalised first; punctuation, symbols and emoji are dropped; a jieba token holding
        punctuation ("covid-19") is split at it. Order follows the text.
        """
        return self.tokens_of_normalised(normalise(text))

    def words(self, text: str) -> list[str]:
        """Words of `text` in jieba's precise mode: the units of a query.

        Without jieba's guessing of unknown words (HMM): it glues a name to the character
        after it (刘七是, 魏舒史), which no document contains; known words stay whole and
        unknown names fall apart into characters, which the query analysis backs with the
        query's bigrams. Runs of Latin letters and digits stay whole (without HMM jieba cuts
        "diannao" into di/an/nao).
        """
        pieces: list[str] = []
        joinable = False  # the last piece is Latin letters or digits, ending where this starts
        for piece in self.tokenizer.cut(normalise(text), False):
            latin = piece.isascii() and piece.isalnum()
            if latin and joinable:
                pieces[-1] += piece
            else:
                pieces.append(piece)
            joinable = latin
        out: list[str] = []
        for piece in pieces:
            out.extend(word_runs(piece))
        return out

    def synonyms(self, word: str) -> tuple[str, ...]:
        """The other terms of every synonym group containing `word` (normalised)."""
        return self.lexicon.synonyms.get(normalise(word), ())

    @property
    def stop_words(self) -> frozenset[str]:
        """Words a query need not match (function and question words), normalised."""
        return self.lexicon.stop_words


def _build_tokenizer(lexicon: Lexicon):
    import rjieba  # jieba's algorithm in Rust: an order of magnitude faster than jieba

    tokenizer = rjieba.Jieba()
    for word in lexicon.whole:
        word = normalise(word).strip()
        if word and not any(c.isspace() for c in word):
            tokenizer.add_word(word, None, None)  # frequency chosen to keep the word whole
    return tokenizer


_committed: Analyser | None = None
_committed_lock = threading.Lock()


def committed_analyser() -> Analyser:
    """The analyser of the committed word lists alone (no organisers' words, no synonyms):
    what the pipeline uses without a database, and what tests of the core use."""
    global _committed
    if _committed is None:
        with _committed_lock:
            if _committed is None:
                _committed = Analyser(build_lexicon())
    return _committed
