"""The guardian's display consent: the same phone-code flow with the "display" scope, and
its withdrawal as a new immutable record."""

import re

import pytest

from accounts import consent
from accounts.models import ConsentRecordImmutable, GuardianConsent, GuardianConsentRequest, User
from accounts.sms import MemorySMSBackend
from tests.factories.users import ChildFactory, GuardianConsentFactory, UserFactory, _years_ago

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

GUARDIAN = "+8613700000001"


def link(token):
    return f"https://kepu.example.org/guardian/{token}/"


def allowed_child(**kwargs):
    """A ten-year-old whose guardian (GUARDIAN) agreed to the account."""
    return GuardianConsentFactory(guardian_phone=GUARDIAN, **kwargs).child


def ask_display(child):
    return consent.request_guardian_consent(
        child, build_link=link, scope=GuardianConsent.Scope.DISPLAY
    )


def texted_code(phone=GUARDIAN):
    return re.search(r"验证码 (\d{6})", MemorySMSBackend.messages_to(phone)[-1]).group(1)


def test_the_display_request_goes_to_the_guardian_who_allowed_the_account(sms_outbox):
    child = allowed_child()

    issued = consent.request_guardian_consent(
        child, "13912345678", build_link=link, scope=GuardianConsent.Scope.DISPLAY
    )

    assert sms_outbox[-1].phone == GUARDIAN  # not the number the child typed
    assert "公开展示" in sms_outbox[-1].message
    assert link(issued.token) in sms_outbox[-1].message
    assert GuardianConsentRequest.objects.get().scope == "display"


def test_agreeing_to_display_writes_a_display_record_and_keeps_the_account_status():
    child = allowed_child()
    issued = ask_display(child)

    record = consent.record_guardian_decision(
        issued.token, texted_code(), "agree", ip_address="203.0.113.7"
    )

    assert (record.scope, record.decision, record.guardian_phone) == ("display", "agree", GUARDIAN)
    child.refresh_from_db()
    assert child.consent_status == User.ConsentStatus.GRANTED
    assert consent.display_consent_granted(child)


def test_refusing_display_leaves_the_works_private_and_the_account_usable():
    child = allowed_child()
    issued = ask_display(child)

    consent.record_guardian_decision(issued.token, texted_code(), "refuse", ip_address=None)

    child.refresh_from_db()
    assert child.consent_status == User.ConsentStatus.GRANTED
    assert not consent.display_consent_granted(child)


def test_a_display_link_cannot_be_used_twice():
    child = allowed_child()
    issued = ask_display(child)
    code = texted_code()
    consent.record_guardian_decision(issued.token, code, "agree", ip_address=None)

    with pytest.raises(consent.UsedLink):
        consent.record_guardian_decision(issued.token, code, "refuse", ip_address=None)


def test_a_child_still_waiting_for_account_consent_cannot_ask_for_display(sms_outbox):
    with pytest.raises(consent.NotWaitingForConsent):
        ask_display(ChildFactory())
    assert not sms_outbox


def test_fourteen_year_olds_need_no_guardian_for_display(sms_outbox):
    teen = UserFactory(birth_year=_years_ago(15), birth_month=1)

    assert not consent.needs_guardian_for_display(teen)
    with pytest.raises(consent.DisplayConsentNotNeeded):
        ask_display(teen)
    assert not sms_outbox


def test_withdrawal_is_a_new_record_and_the_old_one_stays():
    child = allowed_child()
    agreed = GuardianConsentFactory(
        child=child, guardian_phone=GUARDIAN, scope=GuardianConsent.Scope.DISPLAY
    )

    withdrawal = consent.withdraw_display_consent(child, ip_address="203.0.113.8")

    assert withdrawal.decision == "refuse" and withdrawal.scope == "display"
    assert not consent.display_consent_granted(child)
    agreed.refresh_from_db()
    assert agreed.decision == "agree"  # the record itself never changes
    with pytest.raises(ConsentRecordImmutable):
        agreed.save()
    # Withdrawing again changes nothing.
    assert consent.withdraw_display_consent(child) is None
    assert GuardianConsent.objects.filter(scope="display").count() == 2


def test_a_withdrawn_display_consent_can_be_given_again():
    child = allowed_child()
    GuardianConsentFactory(child=child, guardian_phone=GUARDIAN, scope="display")
    consent.withdraw_display_consent(child)
    issued = ask_display(child)

    consent.record_guardian_decision(issued.token, texted_code(), "agree", ip_address=None)

    assert consent.display_consent_granted(child)
