"""Normalisation and the character-level pieces of the pipeline: Simplified characters,
half width, case folding, bigrams, characters, suggestion prefixes.

Traditional → Simplified comes first (OpenCC): segmenting unconverted Traditional text falls
apart into single characters. Control characters never reach a backend.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata

from search.constants import MAX_PREFIX_CHARS

logger = logging.getLogger(__name__)

# Word characters without the underscore: everything else separates tokens.
_WORD_RUN = re.compile(r"[^\W_]+")
CJK = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef"
    "\U00030000-\U0003134f"
)
CJK_RUN = re.compile(f"[{CJK}]+")
_CJK_ONLY = re.compile(f"^[{CJK}]+$")
# Control characters (NUL included) and unpaired surrogates never reach a backend.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

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

    Control characters are removed. Never raises for any str.
    """
    if not text:
        return ""
    return unicodedata.normalize("NFKC", simplified(text)).casefold()


def word_runs(piece: str) -> list[str]:
    """The runs of letters and digits of `piece` (punctuation, symbols and emoji dropped)."""
    return _WORD_RUN.findall(piece)


def bigrams_of_normalised(text: str) -> list[str]:
    """`bigrams` for text already normalised."""
    out: list[str] = []
    for run in CJK_RUN.findall(text):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def bigrams(text: str) -> list[str]:
    """Character bigrams of each run of CJK characters, in order (the fallback field)."""
    return bigrams_of_normalised(normalise(text))


def characters_of_normalised(text: str) -> list[str]:
    """The distinct CJK characters of `text`, in order of first appearance (what a lone
    one-character query such as 协 matches)."""
    return list(dict.fromkeys(c for run in CJK_RUN.findall(text) for c in run))


def is_cjk(text: str) -> bool:
    """True when `text` is one run of CJK characters and nothing else."""
    return bool(_CJK_ONLY.match(text or ""))


def has_cjk(text: str) -> bool:
    """True when `text` holds at least one CJK character."""
    return bool(CJK_RUN.search(text or ""))


def clean_prefix(text: str) -> str:
    """A suggestion prefix or input: normalised, word characters only ("ke pu" → "kepu")."""
    try:
        return "".join(word_runs(normalise(str(text or "")[:200])))[:MAX_PREFIX_CHARS]
    except Exception:
        logger.exception("suggestion prefix analysis failed")
        return ""
