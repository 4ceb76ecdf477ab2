import re

import pytest

from accounts.sms import MemorySMSBackend


@pytest.fixture(autouse=True)
def sms_outbox():
    """The texts sent during the test (MemorySMSBackend, as settings/test.py configures)."""
    MemorySMSBackend.clear()
    yield MemorySMSBackend.outbox
    MemorySMSBackend.clear()


def last_code(phone: str) -> str:
    """The last numeric code texted to `phone`."""
    messages = MemorySMSBackend.messages_to(phone)
    assert messages, f"no text message was sent to {phone}"
    codes = re.findall(r"\b([0-9A-Z]{6})\b", messages[-1])
    assert codes, messages[-1]
    return codes[0]
