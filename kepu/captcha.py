"""The project's one captcha: a small sum asked in Chinese, as text.

Used where a person must show they are not a script before the next step: a vote from a
brand-new or fast account (competitions/voting/) and sign-in after repeated failures
(accounts/lockout/). No foreign service, no image, no JavaScript: the question is plain text
("七加五等于几？"), so screen readers, large-text mode and WeChat's browser all handle it.

A challenge's answer lives only in the cache under a random id; the browser gets that id
signed and time-stamped (the token). A challenge is single use (deleted at the first check,
right or wrong) and expires after `KEPU_CAPTCHA_SECONDS`. The cache may vanish (DESIGN.md
rule 1): the person then simply gets a new question.

Answers are read the way people type them on a phone: full-width digits (１５), Chinese
numerals (十五), stray spaces and punctuation (“15。”) are all fine; anything else is just a
wrong answer, never an error.
"""

import hmac
import secrets
import unicodedata
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SALT = "kepu.captcha"
CHALLENGE_SUFFIX = "_token"
# Longer input cannot be a small number; it is read no further.
MAX_ANSWER_CHARS = 32

_DIGITS = "零一二三四五六七八九"
_NUMERAL_VALUES = {**{ch: i for i, ch in enumerate(_DIGITS)}, "〇": 0, "两": 2}


@dataclass(frozen=True)
class Challenge:
    token: str
    question: str

    @property
    def prompt(self) -> str:
        """The question as a form label."""
        return gettext("Please answer: %(question)s") % {"question": self.question}


def _key(challenge_id: str) -> str:
    return f"captcha:{challenge_id}"


def chinese_numeral(n: int) -> str:
    """0–99 in Chinese numerals, as people say them: 七, 十二, 二十."""
    tens, units = divmod(n, 10)
    if tens == 0:
        return _DIGITS[units]
    return f"{_DIGITS[tens] if tens > 1 else ''}十{_DIGITS[units] if units else ''}"


def new_challenge() -> Challenge:
    """Draws a new sum, stores its answer in the cache and returns its token and question."""
    rng = secrets.SystemRandom()
    a, b = rng.randint(2, 9), rng.randint(1, 9)
    if rng.random() < 0.5 and a > b:
        question = gettext("What is %(a)s minus %(b)s?")
        answer = a - b
    else:
        question = gettext("What is %(a)s plus %(b)s?")
        answer = a + b
    challenge_id = secrets.token_urlsafe(16)
    cache.set(_key(challenge_id), str(answer), settings.KEPU_CAPTCHA_SECONDS)
    return Challenge(
        token=signing.dumps(challenge_id, salt=SALT),
        question=question % {"a": chinese_numeral(a), "b": chinese_numeral(b)},
    )


def parse_answer(text: str) -> int | None:
    """The number a person meant by `text`, or None.

    Full-width and other compatibility digits are folded (NFKC: １５ → 15); whitespace,
    punctuation and symbols are dropped; what is left must be ASCII digits or a Chinese
    numeral below 100 (十五, 二十, 两).
    """
    folded = unicodedata.normalize("NFKC", str(text)[:MAX_ANSWER_CHARS])
    kept = "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZSC")
    if not kept:
        return None
    if kept.isascii() and kept.isdigit():
        return int(kept) if len(kept) <= 3 else None
    return _parse_chinese(kept)


def _parse_chinese(text: str) -> int | None:
    if any(ch not in _NUMERAL_VALUES and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _NUMERAL_VALUES[text] if len(text) == 1 else None
    tens, _ten, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return None
    value = (_NUMERAL_VALUES[tens] if tens else 1) * 10
    return value + (_NUMERAL_VALUES[units] if units else 0)


def check(token: str, answer: str) -> bool:
    """Whether `answer` solves the challenge of `token`. Uses the challenge up either way.

    Never raises: a forged, expired or used token and a malformed answer are all `False`.
    """
    try:
        challenge_id = signing.loads(
            str(token or ""), salt=SALT, max_age=settings.KEPU_CAPTCHA_SECONDS
        )
    except signing.BadSignature:
        return False
    stored = cache.get(_key(challenge_id))
    # Deleting decides who used it: of two concurrent checks only one deletes the key.
    if stored is None or not cache.delete(_key(challenge_id)):
        return False
    given = parse_answer(answer or "")
    if given is None:
        return False
    return hmac.compare_digest(str(given).encode(), str(stored).encode())


class CaptchaInput(forms.TextInput):
    """The answer box, followed by the hidden token of the question it answers.

    It never shows a previous answer: each rendering belongs to a fresh question.
    """

    def __init__(self, attrs=None):
        super().__init__(
            {
                "inputmode": "numeric",
                "autocomplete": "off",
                "autocapitalize": "off",
                "spellcheck": "false",
                "maxlength": "8",
                "class": "captcha-input",
                **(attrs or {}),
            }
        )
        self.token = ""

    def render(self, name, value, attrs=None, renderer=None):
        answer_box = super().render(name, "", attrs, renderer)
        return answer_box + format_html(
            '<input type="hidden" name="{}" value="{}">', name + CHALLENGE_SUFFIX, self.token
        )

    def value_from_datadict(self, data, files, name):
        return (str(data.get(name, "")), str(data.get(name + CHALLENGE_SUFFIX, "")))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + CHALLENGE_SUFFIX not in data


class CaptchaField(forms.Field):
    """A captcha question in a form: the label is the question, the widget the answer box.

    Each instance draws its own challenge, so add it to a form instance (`form.fields[…] =
    CaptchaField()`), never as a class attribute. Cleaning does not check the answer: the form
    decides when a check is due and calls `solved()` once (a check uses the challenge up).
    """

    widget = CaptchaInput

    def __init__(self, **kwargs):
        self.challenge = new_challenge()
        kwargs.setdefault("label", self.challenge.prompt)
        kwargs.setdefault("help_text", _("Answer with a number, for example 12."))
        super().__init__(required=False, **kwargs)
        self.widget.token = self.challenge.token

    def clean(self, value):
        return value

    def solved(self, value) -> bool:
        """Whether `value` (as read from the submitted data) answers the question it was for."""
        answer, token = value if isinstance(value, tuple) else ("", "")
        return check(token, answer)


class CaptchaForm(forms.Form):
    """A form holding only a captcha, for pages that ask nothing else (the vote button)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["captcha"] = CaptchaField()
