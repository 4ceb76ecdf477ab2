"""The guardian consent services: request by text message, decide once with the code."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import consent
from accounts.models import GuardianConsent, GuardianConsentRequest, User
from accounts.sms import MemorySMSBackend
from tests.factories.users import ChildFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

GUARDIAN = "+8613700000001"


def link(token):
    return f"https://kepu.example.org/guardian/{token}/"


def issue(child, phone=GUARDIAN, **kwargs):
    return consent.request_guardian_consent(child, phone, build_link=link, **kwargs)


def texted_code(phone=GUARDIAN):
    return re.search(r"验证码 (\d{6})", MemorySMSBackend.messages_to(phone)[-1]).group(1)


def test_a_request_texts_the_guardian_a_code_and_a_link(sms_outbox):
    child = ChildFactory()

    issued = issue(child, "137 0000 0001")

    assert sms_outbox[-1].phone == GUARDIAN
    message = sms_outbox[-1].message
    assert link(issued.token) in message
    assert re.search(r"验证码 \d{6}", message)
    assert "30 分钟内有效" in message
    # Only hashes are stored.
    stored = GuardianConsentRequest.objects.get()
    assert issued.token not in stored.token_hash
    assert texted_code() not in stored.code_hash


def test_a_child_cannot_name_their_own_phone_as_the_guardian(sms_outbox):
    child = ChildFactory(phone="+8613812345678")

    with pytest.raises(consent.OwnPhoneNotAllowed) as error:
        issue(child, "138-1234-5678")

    assert "不能填写你自己的手机号" in str(error.value.message)
    assert not sms_outbox
    assert not GuardianConsentRequest.objects.exists()


def test_only_accounts_waiting_for_consent_can_ask():
    with pytest.raises(consent.NotWaitingForConsent):
        issue(UserFactory())


def test_a_new_request_replaces_the_unused_one():
    child = ChildFactory()
    first = issue(child)

    issue(child)

    with pytest.raises(consent.InvalidLink):
        consent.open_request(first.token)
    assert GuardianConsentRequest.objects.count() == 1


def test_a_child_can_send_only_a_few_requests_an_hour(settings):
    settings.KEPU_GUARDIAN_REQUESTS_PER_HOUR = 2
    child = ChildFactory()
    issue(child)
    issue(child)

    with pytest.raises(consent.TooManyRequests):
        issue(child)


def test_agreeing_grants_the_account_and_writes_one_record(settings):
    settings.KEPU_CONSENT_POLICY_VERSION = "2026-11"
    child = ChildFactory()
    issued = issue(child)

    record = consent.record_guardian_decision(
        issued.token, texted_code(), "agree", ip_address="203.0.113.7"
    )

    child.refresh_from_db()
    assert child.consent_status == User.ConsentStatus.GRANTED
    assert GuardianConsent.objects.get() == record
    assert record.decision == "agree"
    assert record.scope == "account"
    assert record.policy_version == "2026-11"
    assert record.guardian_phone == GUARDIAN
    assert record.ip_address == "203.0.113.7"
    assert record.decided_at is not None


def test_refusing_marks_the_account_refused():
    child = ChildFactory()
    issued = issue(child)

    consent.record_guardian_decision(issued.token, texted_code(), "refuse", ip_address=None)

    child.refresh_from_db()
    assert child.consent_status == User.ConsentStatus.REFUSED
    assert GuardianConsent.objects.get().decision == "refuse"


def test_a_wrong_code_records_nothing():
    child = ChildFactory()
    issued = issue(child)
    wrong = "000000" if texted_code() != "000000" else "111111"

    with pytest.raises(consent.WrongCode):
        consent.record_guardian_decision(issued.token, wrong, "agree", ip_address="203.0.113.7")

    child.refresh_from_db()
    assert child.consent_status == User.ConsentStatus.PENDING
    assert not GuardianConsent.objects.exists()
    assert GuardianConsentRequest.objects.get().failed_attempts == 1


def test_too_many_wrong_codes_lock_the_link(settings):
    settings.KEPU_GUARDIAN_MAX_CODE_ATTEMPTS = 3
    issued = issue(ChildFactory())
    for _ in range(3):
        with pytest.raises(consent.WrongCode):
            consent.record_guardian_decision(issued.token, "abc", "agree", ip_address="1.2.3.4")

    # Even the right code no longer works.
    with pytest.raises(consent.LockedLink):
        consent.record_guardian_decision(issued.token, texted_code(), "agree", ip_address=None)
    assert not GuardianConsent.objects.exists()


def test_wrong_codes_from_one_address_are_limited_across_links(settings):
    settings.KEPU_GUARDIAN_MAX_ATTEMPTS_PER_IP = 2
    for _ in range(2):
        with pytest.raises(consent.InvalidLink):
            consent.record_guardian_decision("guessed", "123456", "agree", ip_address="6.6.6.6")

    issued = issue(ChildFactory())
    with pytest.raises(consent.TooManyRequests):
        consent.record_guardian_decision(issued.token, texted_code(), "agree", ip_address="6.6.6.6")


def test_an_expired_link_cannot_be_used():
    child = ChildFactory()
    issued = issue(child, now=timezone.now() - timedelta(minutes=31))

    with pytest.raises(consent.ExpiredLink):
        consent.open_request(issued.token)
    with pytest.raises(consent.ExpiredLink):
        consent.record_guardian_decision(issued.token, texted_code(), "agree", ip_address=None)
    assert not GuardianConsent.objects.exists()


def test_a_link_is_used_once():
    child = ChildFactory()
    issued = issue(child)
    code = texted_code()
    consent.record_guardian_decision(issued.token, code, "agree", ip_address=None)

    with pytest.raises(consent.UsedLink):
        consent.record_guardian_decision(issued.token, code, "refuse", ip_address=None)

    child.refresh_from_db()
    assert child.consent_status == User.ConsentStatus.GRANTED
    assert GuardianConsent.objects.count() == 1


def test_an_unknown_token_is_invalid():
    with pytest.raises(consent.InvalidLink):
        consent.open_request("not-a-token")


def test_the_open_request_is_shown_to_the_child_until_it_expires():
    child = ChildFactory()
    issued = issue(child)

    assert consent.latest_open_request(child) == issued.request
    later = timezone.now() + timedelta(minutes=31)
    assert consent.latest_open_request(child, now=later) is None


class BrokenGateway:
    def send(self, phone, message, **template):
        raise ConnectionError("gateway down")


def test_a_gateway_outage_leaves_no_request_behind(settings):
    settings.KEPU_SMS_BACKEND = "tests.accounts.test_consent.BrokenGateway"
    child = ChildFactory()

    with pytest.raises(consent.SendingFailed) as error:
        issue(child)

    assert "短信发送失败" in str(error.value.message)
    assert not GuardianConsentRequest.objects.exists()
