"""Mainland China mobile numbers: parsing, normalising and the form field that accepts them.

Numbers are stored in E.164 form ("+8613812345678"); people type them as they know them
("138 1234 5678", "+86 138-1234-5678").
"""

import re

from allauth.account.adapter import get_adapter
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# 1[3-9] followed by nine digits, optionally behind +86 / 0086 / 86.
_MOBILE = re.compile(r"^(?:\+?86|0086)?(1[3-9]\d{9})$")
# Separators people type between digit groups.
_SEPARATORS = re.compile(r"[\s\-().\u00a0\u3000]")

INVALID_PHONE_MESSAGE = _("Enter a valid mainland China mobile number, for example 138 1234 5678.")


def parse_phone(value: str | None) -> str | None:
    """The E.164 form of a mainland China mobile number, or None if `value` is not one."""
    if not value:
        return None
    match = _MOBILE.match(_SEPARATORS.sub("", str(value)))
    if not match:
        return None
    return f"+86{match.group(1)}"


def normalize_phone(value: str) -> str:
    """The E.164 form of `value`; raises ValidationError (with a Chinese message) otherwise."""
    phone = parse_phone(value)
    if phone is None:
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")
    return phone


def national_number(phone: str) -> str:
    """ "+8613812345678" → "13812345678", the way people read their own number."""
    return phone[3:] if phone and phone.startswith("+86") else phone


class PhoneField(forms.CharField):
    """A phone-number input that cleans to the normalised "+86…" form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "tel",
                    "inputmode": "tel",
                    "autocomplete": "tel",
                    "placeholder": _("e.g. 138 1234 5678"),
                }
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        # The adapter normalises (and is where allauth expects phone validation to live).
        return get_adapter().clean_phone(value)
