"""Sending text messages (verification codes, guardian invitations) through a pluggable sender.

`settings.KEPU_SMS_BACKEND` names the sender class. A sender needs one method,
`send(phone, message, *, template="", params=None)`: `message` is the whole text, and
`template` (a kind such as "verification_code") with its `params` is what gateways in China
send instead, since they deliver only texts from templates approved in advance. Aliyun and
Tencent Cloud senders are in accounts/sms_providers/. Two more senders ship here:

- `ConsoleSMSBackend` logs the message (logger "kepu.sms"), so a developer reads the code in
  the runserver console;
- `MemorySMSBackend` keeps an outbox in memory for tests.
"""

import logging
import threading
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from kepu import ratelimit

from .masking import mask_phone

logger = logging.getLogger("kepu.sms")

RATE_LIMIT_SCOPE = "sms-phone"
# Texts fail closed while the per-number counter is unreachable (docs/reliability.md).
SENDING_PAUSED = _(
    "Text messages cannot be sent for a few minutes while the site recovers. "
    "Please try again shortly."
)


class SMSBackend(Protocol):
    def send(
        self, phone: str, message: str, *, template: str = "", params: dict | None = None
    ) -> None: ...


class SMSRateLimited(Exception):
    """Too many messages to one phone number within the window."""


@dataclass(frozen=True)
class SentMessage:
    phone: str
    message: str
    template: str = ""
    params: dict | None = None


class ConsoleSMSBackend:
    """Writes each message to the log instead of sending it (development)."""

    def send(self, phone: str, message: str, **template) -> None:
        logger.info("sms %s: %s", mask_phone(phone), message, extra={"phone": mask_phone(phone)})


class MemorySMSBackend:
    """Keeps sent messages in `MemorySMSBackend.outbox` (tests). Shared by all instances."""

    outbox: list[SentMessage] = []
    _lock = threading.Lock()

    def send(self, phone: str, message: str, *, template: str = "", params=None) -> None:
        with self._lock:
            self.outbox.append(SentMessage(phone, message, template, params))

    @classmethod
    def clear(cls) -> None:
        with cls._lock:
            cls.outbox.clear()

    @classmethod
    def messages_to(cls, phone: str) -> list[str]:
        with cls._lock:
            return [m.message for m in cls.outbox if m.phone == phone]


def get_backend() -> SMSBackend:
    return import_string(settings.KEPU_SMS_BACKEND)()


def send_sms(phone: str, message: str, *, template: str = "", params: dict | None = None) -> None:
    """Sends `message` to `phone` unless that number already received its quota.

    At most `KEPU_SMS_MAX_PER_PHONE` messages per `KEPU_SMS_WINDOW_SECONDS` go to one number,
    whatever asked for them (sign-up, sign-in codes, guardian invitations): defence in depth
    against texting someone into the ground, on top of allauth's own per-action limits.
    Raises `SMSRateLimited` when the quota is used up, and `ratelimit.RateLimitUnavailable`
    (saying so in Chinese) while the quota cannot be counted; nothing is sent then.
    """
    window = settings.KEPU_SMS_WINDOW_SECONDS
    sent = ratelimit.increment(RATE_LIMIT_SCOPE, phone, window, message=SENDING_PAUSED)
    if sent > settings.KEPU_SMS_MAX_PER_PHONE:
        logger.warning("sms rate limited", extra={"phone": mask_phone(phone)})
        raise SMSRateLimited(phone)
    get_backend().send(phone, message, template=template, params=params)
