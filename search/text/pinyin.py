"""Index-time pinyin: one syllable per character, and suggestion inputs (title, full pinyin,
initials).

pypinyin is imported inside the functions only: it is memory-hungry and must never load in
a web process's request path (documents are built by the Celery worker).
"""

from __future__ import annotations

from search.text.normalise import clean_prefix


def char_pinyin(text: str) -> list[str]:
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
    syllables = char_pinyin(cleaned)
    full = clean_prefix("".join(syllables))
    initials = clean_prefix("".join(s[:1] for s in syllables))
    return tuple(dict.fromkeys(x for x in (cleaned, full, initials) if x))
