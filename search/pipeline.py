"""The one text pipeline for Chinese search, used for documents and queries alike.

normalise → tokens (jieba's search mode through rjieba, with our dictionary), bigrams (CJK
bigrams, the fallback for exact keywords jieba segments differently) and characters (what a
lone one-character query matches), synonyms and stop words applied at query time (no reindex
needed; `search.query` turns a typed query into clauses), suggestion inputs with pinyin
computed at index time.

Every backend receives the output of these functions, so they see the same tokens and find
the same documents. jieba loads once per process under a lock (`warm_up` at worker start,
else on first use) and reloads when organisers change the dictionary, synonyms or stop
words (a version number in the cache, checked at most every few seconds). pypinyin is
imported inside the functions that need it only: it is memory-hungry and must never load in
a web process's request path.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

BASE_DICTIONARY = Path(__file__).resolve().parent / "dictionary" / "base.txt"
BASE_STOP_WORDS = Path(__file__).resolve().parent / "dictionary" / "stopwords.txt"
# Document text beyond this is not indexed (PostgreSQL caps tsvector positions at 16383;
# every backend indexes the same prefix so they find the same documents, and a very long
# page stays a reasonable request for the backend).
MAX_BODY_CHARS = 15000
# Suggestion inputs and prefixes are cut to this many characters.
MAX_PREFIX_CHARS = 100
# How often a process asks the cache whether organisers changed the dictionary.
DICTIONARY_CHECK_SECONDS = 5.0
DICTIONARY_VERSION_KEY = "search:dictionary-version"

# Word characters without the underscore: everything else separates tokens.
_WORD_RUN = re.compile(r"[^\W_]+")
_CJK = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef"
    "\U00030000-\U0003134f"
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_ONLY = re.compile(f"^[{_CJK}]+$")
# Control characters (NUL included) and unpaired surrogates never reach a backend.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


# --- normalisation ----------------------------------------------------------------------------

_converter = None
_converter_lock = threading.Lock()


def _t2s():
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                import opencc

                _converter = opencc.OpenCC("t2s")
    return _converter


def simplified(text: str) -> str:
    """`text` in Simplified characters (OpenCC), control characters as spaces: the first
    step of `normalise`."""
    if not text:
        return ""
    return _t2s().convert(_CONTROL.sub(" ", text))


def normalise(text: str) -> str:
    """Traditional → Simplified (OpenCC) first, then NFKC (full/half width) and case folding.

    Conversion comes first because segmenting unconverted Traditional text falls apart into
    single characters. Control characters are removed. Never raises for any str.
    """
    if not text:
        return ""
    return unicodedata.normalize("NFKC", simplified(text)).casefold()


def normalise_char(char: str) -> str:
    """`normalise` for one character, used to map highlights back onto the original text."""
    return normalise(char)


# --- segmentation ---------------------------------------------------------------------------


class _Segmenter:
    """A jieba tokenizer with our dictionary, built once per process and rebuilt on change."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tokenizer = None
        self._version = None
        self._checked_at = 0.0
        self.generation = 0  # counts rebuilds: what the synonyms cache is keyed on

    def get(self):
        tokenizer = self._tokenizer
        now = time.monotonic()
        if tokenizer is not None and now - self._checked_at < DICTIONARY_CHECK_SECONDS:
            return tokenizer
        version = _dictionary_version()
        if tokenizer is not None and version == self._version:
            self._checked_at = now
            return tokenizer
        with self._lock:
            if self._tokenizer is None or self._version != version:
                self._tokenizer = _build_tokenizer()
                self._version = version
                self.generation += 1
            self._checked_at = time.monotonic()
            return self._tokenizer

    def reset(self):
        """Forget the tokenizer: the next call rebuilds it (this process's dictionary edits)."""
        with self._lock:
            self._tokenizer = None
            self._version = None


_segmenter = _Segmenter()


def _dictionary_version():
    try:
        from django.core.cache import cache

        return cache.get(DICTIONARY_VERSION_KEY, 0)
    except Exception:  # the cache may vanish (rule 1): keep the tokenizer we have
        logger.warning("search dictionary version unavailable", exc_info=True)
        return _segmenter._version


def forget_dictionary() -> None:
    """Makes this process rebuild its tokenizer and synonyms on their next use."""
    _segmenter.reset()


def dictionary_changed() -> None:
    """Tells every process that organisers changed the dictionary or the synonyms.

    This process rebuilds at once; others within DICTIONARY_CHECK_SECONDS.
    """
    _segmenter.reset()
    try:
        from django.core.cache import cache

        cache.set(DICTIONARY_VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:
        logger.warning("search dictionary version not published", exc_info=True)


def _word_list(path: Path) -> list[str]:
    """The words of a committed list (one per line, # comments), normalised."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(normalise(line.split()[0]))
    return words


def base_words() -> list[str]:
    """The committed base dictionary (search/dictionary/base.txt), normalised."""
    return _word_list(BASE_DICTIONARY)


def base_stop_words() -> list[str]:
    """The committed stop words (search/dictionary/stopwords.txt), normalised."""
    return _word_list(BASE_STOP_WORDS)


def _database_words() -> list[str]:
    """Organisers' words, stop words and every synonym term (so each segments as one word)."""
    try:
        from search.models import DictionaryWord, StopWord, SynonymGroup

        words = list(DictionaryWord.objects.values_list("word", flat=True))
        words.extend(StopWord.objects.values_list("word", flat=True))
        for group in SynonymGroup.objects.all():
            words.extend(group.term_list())
        return words
    except Exception as error:  # no database (yet): the base dictionary still segments well
        logger.info("search dictionary words not loaded from the database: %s", error)
        return []


def _build_tokenizer():
    import rjieba  # jieba's algorithm in Rust: an order of magnitude faster than jieba

    tokenizer = rjieba.Jieba()
    # Stop words too: a question word such as 哪一门 must segment whole to be recognised.
    for word in [*base_words(), *base_stop_words(), *_database_words()]:
        word = normalise(word).strip()
        if word and not any(c.isspace() for c in word):
            tokenizer.add_word(word, None, None)  # frequency chosen to keep the word whole
    return tokenizer


def _split(piece: str) -> list[str]:
    return _WORD_RUN.findall(piece)


def tokens_of_normalised(text: str) -> list[str]:
    """`tokens` for text already normalised (documents normalise once for several uses)."""
    if not text:
        return []
    out: list[str] = []
    for piece in _segmenter.get().cut_for_search(text, True):
        out.extend(_split(piece))
    return out


def tokens(text: str) -> list[str]:
    """Words of `text` in jieba's search mode (long words also yield their known parts).

    Normalised first; punctuation, symbols and emoji are dropped; a jieba token holding
    punctuation ("covid-19") is split at it. Order follows the text.
    """
    return tokens_of_normalised(normalise(text))


def words(text: str) -> list[str]:
    """Words of `text` in jieba's precise mode: the units of a query.

    Without jieba's guessing of unknown words (HMM): it glues a name to the character after
    it (刘七是, 魏舒史), which no document contains; known words stay whole and unknown
    names fall apart into characters, which `search.query` backs with the query's bigrams.
    Runs of Latin letters and digits stay whole (without HMM jieba cuts "diannao" into
    di/an/nao).
    """
    pieces: list[str] = []
    joinable = False  # the last piece is Latin letters or digits, ending where this starts
    for piece in _segmenter.get().cut(normalise(text), False):
        latin = piece.isascii() and piece.isalnum()
        if latin and joinable:
            pieces[-1] += piece
        else:
            pieces.append(piece)
        joinable = latin
    out: list[str] = []
    for piece in pieces:
        out.extend(_split(piece))
    return out


def bigrams_of_normalised(text: str) -> list[str]:
    """`bigrams` for text already normalised."""
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def bigrams(text: str) -> list[str]:
    """Character bigrams of each run of CJK characters, in order (the fallback field)."""
    return bigrams_of_normalised(normalise(text))


def characters_of_normalised(text: str) -> list[str]:
    """The distinct CJK characters of `text`, in order of first appearance (what a lone
    one-character query such as 协 matches)."""
    return list(dict.fromkeys(c for run in _CJK_RUN.findall(text) for c in run))


def is_cjk(text: str) -> bool:
    """True when `text` is one run of CJK characters and nothing else."""
    return bool(_CJK_ONLY.match(text or ""))


# --- synonyms and stop words --------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    """The query-time word lists, normalised: synonym groups and stop words."""

    synonyms: dict[str, tuple[str, ...]]
    stop_words: frozenset[str]


_lexicon_cache: tuple[int, Lexicon] | None = None
_lexicon_lock = threading.Lock()


def lexicon() -> Lexicon:
    """Synonyms and stop words, reloaded with the dictionary version (like the tokenizer).

    Without a database the stop words are the committed list and there are no synonyms.
    """
    global _lexicon_cache
    cached = _lexicon_cache
    _segmenter.get()
    generation = _segmenter.generation
    if cached is not None and cached[0] == generation:
        return cached[1]
    with _lexicon_lock:
        mapping: dict[str, tuple[str, ...]] = {}
        stop_words = set(base_stop_words())
        try:
            from search.models import StopWord, SynonymGroup

            for group in SynonymGroup.objects.all():
                terms = group.term_list()
                for term in terms:
                    others = [t for t in terms if t != term]
                    mapping[term] = tuple(dict.fromkeys([*mapping.get(term, ()), *others]))
            stop_words.update(normalise(w) for w in StopWord.objects.values_list("word", flat=True))
        except Exception as error:
            logger.info("search synonyms and stop words not loaded from the database: %s", error)
            return Lexicon({}, frozenset(stop_words))
        loaded = Lexicon(mapping, frozenset(stop_words))
        _lexicon_cache = (generation, loaded)
        return loaded


def synonym_map() -> dict[str, tuple[str, ...]]:
    """{term: its group's other terms}, normalised; reloaded with the dictionary version."""
    return lexicon().synonyms


def synonyms(word: str) -> tuple[str, ...]:
    """The other terms of every synonym group containing `word` (normalised)."""
    return synonym_map().get(normalise(word), ())


def stop_words() -> frozenset[str]:
    """Words a query need not match (function and question words), normalised."""
    return lexicon().stop_words


def warm_up() -> None:
    """Loads OpenCC, the tokenizer, synonyms and stop words now, so that a worker's first
    search pays nothing (called when a gunicorn or Celery worker starts). Never raises."""
    try:
        normalise("預熱")
        tokens("预热")
        lexicon()
    except Exception:
        logger.warning("search warm-up failed", exc_info=True)


# --- suggestion prefixes ------------------------------------------------------------------------


def clean_prefix(text: str) -> str:
    """A suggestion prefix or input: normalised, word characters only ("ke pu" → "kepu")."""
    try:
        return "".join(_split(normalise(str(text or "")[:200])))[:MAX_PREFIX_CHARS]
    except Exception:
        logger.exception("suggestion prefix analysis failed")
        return ""


# --- index-time pinyin --------------------------------------------------------------------------


def _char_pinyin(text: str) -> list[str]:
    """One pinyin syllable (or the character itself) per character of `text`."""
    from pypinyin import lazy_pinyin  # lazily: memory-hungry, index time only

    out: list[str] = []
    for item in lazy_pinyin(text, errors=lambda chars: list(chars)):
        out.append(item)
    if len(out) != len(text):  # pypinyin grouped non-Chinese characters differently
        out = [lazy_pinyin(c)[0] if c else c for c in text]
    return out


def suggest_inputs(title: str) -> tuple[str, ...]:
    """The completion inputs of a title: itself, its full pinyin and its initials.

    E.g. "科普" → ("科普", "kepu", "kp"); all pass through `clean_prefix`, so they compare
    with what a user types. Imports pypinyin: call at index time only, never in a request.
    """
    cleaned = clean_prefix(title)
    if not cleaned:
        return ()
    syllables = _char_pinyin(cleaned)
    full = clean_prefix("".join(syllables))
    initials = clean_prefix("".join(s[:1] for s in syllables))
    return tuple(dict.fromkeys(x for x in (cleaned, full, initials) if x))


def pinyin_tokens(title_tokens: list[str]) -> list[str]:
    """Pinyin of each Chinese title token, so "kepu" finds 科普 in search too (index time)."""
    out: list[str] = []
    for token in title_tokens:
        if _CJK_RUN.search(token):
            out.append("".join(_char_pinyin(token)))
    return [t for t in (clean_prefix(t) for t in out) if t]
