"""ISBNs (书号): ISBN-10 and ISBN-13 with their check digits, stored as ISBN-13.

Organisers and donors type ISBNs from the back of a book, with or without hyphens and
spaces, sometimes in full-width digits. A wrong check digit almost always means one digit
was misread, so the message says which check digit the other digits give.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DB_PATTERN = r"^97[89][0-9]{10}$"


def _digits(value: str) -> str:
    value = unicodedata.normalize("NFKC", value or "").upper()
    return re.sub(r"[\s\-‐‑–—_.]", "", value)


def isbn13_check(first12: str) -> str:
    """The check digit of the first 12 digits of an ISBN-13 (weights 1 and 3, mod 10)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def isbn10_check(first9: str) -> str:
    """The check digit of the first 9 digits of an ISBN-10 (weights 10…2, mod 11; 10 is X)."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(first9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def normalise_isbn(value: str) -> str:
    """The ISBN-13 (13 digits, no hyphens) of `value`, an ISBN-10 or ISBN-13; "" for an
    empty value. Raises ValidationError with a Chinese message for anything else."""
    raw = _digits(value)
    if not raw:
        return ""
    if raw.startswith("ISBN"):
        raw = raw[4:].lstrip(":：")
    if len(raw) == 13 and raw.isdigit():
        if not raw.startswith(("978", "979")):
            raise ValidationError(
                _("A 13-digit ISBN starts with 978 or 979. Please check the number."),
                code="isbn_prefix",
            )
        expected = isbn13_check(raw[:12])
        if raw[12] != expected:
            raise _wrong_check(raw[12], expected)
        return raw
    if len(raw) == 10 and raw[:9].isdigit() and (raw[9].isdigit() or raw[9] == "X"):
        expected = isbn10_check(raw[:9])
        if raw[9] != expected:
            raise _wrong_check(raw[9], expected)
        first12 = "978" + raw[:9]
        return first12 + isbn13_check(first12)
    raise ValidationError(
        _(
            "An ISBN has 10 or 13 digits (the last digit of a 10-digit ISBN may be X), "
            "e.g. 978-7-5346-1234-5."
        ),
        code="isbn_format",
    )


def _wrong_check(found: str, expected: str) -> ValidationError:
    return ValidationError(
        _(
            "The ISBN's check digit does not match: with these digits the last one would be "
            "%(expected)s, not %(found)s. Please check whether a digit was misread."
        )
        % {"expected": expected, "found": found},
        code="isbn_check_digit",
    )


def validate_isbn(value: str) -> None:
    """Model field validator: raises ValidationError unless `value` is a valid ISBN."""
    normalise_isbn(value)


def display_isbn(isbn13: str) -> str:
    """ "9787534612345" → "978-7534612345": the prefix set apart (group and publisher
    lengths vary, so nothing more is guessed)."""
    return f"{isbn13[:3]}-{isbn13[3:]}" if len(isbn13) == 13 else isbn13
