"""Text-message gateways used in China: Aliyun SMS (aliyun.py) and Tencent Cloud SMS
(tencent.py), chosen with `KEPU_SMS_BACKEND` like the console sender (accounts/sms.py).

Both deliver only texts from templates approved in the provider's console, signed with the
organiser's approved signature (签名, `KEPU_SMS_SIGN_NAME`). Every message kind the site sends
therefore needs a template there, whose variables are the kind's parameters below
(Aliyun names them: ${code}; Tencent numbers them in this order: {1}, {2} …), and its
template id in `KEPU_SMS_TEMPLATES` ("verification_code=SMS_1234,prize_won=SMS_5678").
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("kepu.sms")

# Message kinds and their template variables, in the order Tencent numbers them.
TEMPLATE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "verification_code": ("code",),
    "password_reset_code": ("code",),
    "unknown_account": (),
    "account_exists": (),
    "guardian_consent": ("code", "minutes", "link"),
    "guardian_display_consent": ("code", "minutes", "link"),
    "prize_won": ("quiz", "prize", "link"),
    "award_won": ("contest", "award", "number", "link"),
    "judge_reminder": ("contest", "count", "link"),
    "drift_reminder": ("title", "days", "link"),
}
TIMEOUT_SECONDS = 10


class SMSSendingFailed(Exception):
    """The gateway refused the message or could not be reached; `code` is its reason."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code


def template_id(kind: str) -> str:
    """The provider's template id for a message kind (KEPU_SMS_TEMPLATES)."""
    if not kind:
        raise ImproperlyConfigured("This text message has no template kind to send it with.")
    templates = settings.KEPU_SMS_TEMPLATES
    if kind not in templates:
        raise ImproperlyConfigured(
            f"No SMS template for {kind!r}: add {kind}=<template id> to KEPU_SMS_TEMPLATES."
        )
    return templates[kind]


def ordered_parameters(kind: str, params: dict | None) -> list[str]:
    """The parameters as strings, in the template's order (Tencent's TemplateParamSet)."""
    params = params or {}
    return [str(params.get(name, "")) for name in TEMPLATE_PARAMETERS.get(kind, ())]


def required_setting(name: str) -> str:
    value = getattr(settings, name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set to send text messages.")
    return value


def post(url: str, body: bytes, headers: dict) -> dict:
    """POSTs `body` and returns the JSON answer; SMSSendingFailed when there is none."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as error:  # the gateways explain refusals in the body
        raw = error.read()
    except OSError as error:
        raise SMSSendingFailed("unreachable", str(error)) from error
    try:
        return json.loads(raw)
    except ValueError as error:
        raise SMSSendingFailed("bad_response", raw[:200].decode("utf-8", "replace")) from error
