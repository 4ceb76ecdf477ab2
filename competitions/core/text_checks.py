"""Checks for short texts readers write for others to read: drift notes, place names,
nicknames, comments.

A text is refused (ValidationError with a Chinese message, nothing stored) when it holds a
filtered word (`ModerationWord`, kept by organisers), a web address, or what looks like a
phone number, QQ or WeChat id: children must not hand out contact details, and nobody
should be able to turn a note in a library book into an advertisement. Everything that
passes may still wait for an organiser's approval (minors' texts are pre-moderated by the
apps that publish them).

The word list is memoised per process and forgotten whenever a word is saved or deleted
(kepu/memo.py keeps processes in step within a second).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from accounts.age import age_in_years
from kepu.memo import VersionedMemo

from .models import ModerationWord

WORDS = VersionedMemo("moderation-words")
# Control characters (NUL included) never reach the database.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_URL = re.compile(r"(https?://|www\.|\b[a-z0-9-]+\.(com|cn|net|org|top|xyz|cc)\b)", re.I)
# Seven or more digits in a row, allowing separators: phone, QQ and bank numbers.
_LONG_NUMBER = re.compile(r"(?:\d[\s\-_.]?){7,}")
# A WeChat or QQ id given after its name ("微信：zhang_san88", "vx abc123").
_CONTACT = re.compile(r"(微信号?|weixin|vx|wx|v信|qq号?|扣扣)[:：]?[a-z0-9_\-]{5,}", re.I)


def clean_text(text: str, max_length: int) -> str:
    """`text` in composed form (NFC; Chinese punctuation stays full-width), without control
    characters, spaces collapsed, lines stripped, at most one empty line in a row. Raises
    ValidationError when it is longer than `max_length` characters."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n")
    text = _CONTROL.sub("", text)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if len(text) > max_length:
        raise ValidationError(
            _("Please keep it to %(limit)s characters (now %(count)s).")
            % {"limit": max_length, "count": len(text)},
            code="too_long",
        )
    return text


def filtered_words() -> tuple[str, ...]:
    """The organisers' word list (lower case), memoised per process."""
    return WORDS.get(
        "words",
        lambda: tuple(w.lower() for w in ModerationWord.objects.values_list("word", flat=True)),
    )


def found_words(text: str) -> list[str]:
    """The filtered words `text` contains (case-insensitive), in list order."""
    lowered = (text or "").lower()
    return [word for word in filtered_words() if word and word in lowered]


def check_public_text(text: str) -> None:
    """Refuses (ValidationError, Chinese message) a text holding a filtered word, a web
    address or contact details. `text` should already be cleaned with `clean_text`."""
    if not text:
        return
    # Compared in NFKC, so full-width letters and digits cannot hide a word or a number.
    text = unicodedata.normalize("NFKC", text)
    words = found_words(text)
    if words:
        raise ValidationError(
            _("Please rewrite this without the word “%(word)s”.") % {"word": words[0]},
            code="filtered_word",
        )
    compact = re.sub(r"\s+", "", text)
    if _URL.search(text) or _LONG_NUMBER.search(compact) or _CONTACT.search(compact):
        raise ValidationError(
            _(
                "To protect everyone's privacy, do not write phone numbers, QQ or WeChat ids "
                "or web addresses here."
            ),
            code="contact_details",
        )


def clean_public_text(text: str, max_length: int) -> str:
    """`clean_text` then `check_public_text`: the text as it will be stored."""
    text = clean_text(text, max_length)
    check_public_text(text)
    return text


ADULT_AGE = 18


def needs_premoderation(user) -> bool:
    """Whether what `user` writes for others waits for an organiser's approval: anonymous
    writers and minors (under 18 by the birth month, or of unknown age)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return True
    if user.birth_year is None or user.birth_month is None:
        return True
    return age_in_years(user.birth_year, user.birth_month) < ADULT_AGE


def _forget_words(sender, **kwargs):
    WORDS.invalidate()


post_save.connect(_forget_words, sender=ModerationWord, dispatch_uid="core.moderation_saved")
post_delete.connect(_forget_words, sender=ModerationWord, dispatch_uid="core.moderation_deleted")
