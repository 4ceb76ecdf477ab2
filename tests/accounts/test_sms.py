import logging

import pytest

from accounts.sms import (
    ConsoleSMSBackend,
    MemorySMSBackend,
    SMSRateLimited,
    get_backend,
    send_sms,
)

pytestmark = pytest.mark.sqlite


def test_the_sender_comes_from_settings(settings):
    settings.KEPU_SMS_BACKEND = "accounts.sms.ConsoleSMSBackend"

    assert isinstance(get_backend(), ConsoleSMSBackend)


def test_the_memory_sender_keeps_an_outbox_for_tests(sms_outbox):
    send_sms("+8613812345678", "验证码 123456")

    assert MemorySMSBackend.messages_to("+8613812345678") == ["验证码 123456"]


def test_the_console_sender_logs_the_message_for_developers(settings, caplog):
    settings.KEPU_SMS_BACKEND = "accounts.sms.ConsoleSMSBackend"

    with caplog.at_level(logging.INFO, logger="kepu.sms"):
        send_sms("+8613812345678", "验证码 654321")

    record = caplog.records[-1]
    assert record.name == "kepu.sms"
    assert "654321" in record.getMessage()
    # The number itself is masked in the log.
    assert "13812345678" not in record.getMessage()
    assert "138****5678" in record.getMessage()


def test_one_number_receives_at_most_its_quota_of_texts(settings, sms_outbox):
    settings.KEPU_SMS_MAX_PER_PHONE = 3
    for _ in range(3):
        send_sms("+8613812345678", "hello")

    with pytest.raises(SMSRateLimited):
        send_sms("+8613812345678", "one too many")

    assert len(MemorySMSBackend.messages_to("+8613812345678")) == 3
    # Other numbers are unaffected.
    send_sms("+8613900000000", "hello")


def test_the_template_kind_and_its_parameters_reach_the_sender(sms_outbox):
    send_sms(
        "+8613812345678", "验证码 246810", template="verification_code", params={"code": "246810"}
    )

    (sent,) = MemorySMSBackend.outbox
    assert (sent.template, sent.params) == ("verification_code", {"code": "246810"})
