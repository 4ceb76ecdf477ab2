"""The display-consent page over HTTP: the child asks, the guardian decides, the child withdraws."""

import re

import pytest

from accounts.models import GuardianConsent
from accounts.sms import MemorySMSBackend
from tests.factories.users import GuardianConsentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

GUARDIAN = "+8613700000001"


def guardian_link_from_text():
    message = MemorySMSBackend.messages_to(GUARDIAN)[-1]
    path = re.search(r"https?://[^/\s]+(/guardian/[^/\s]+/)", message).group(1)
    code = re.search(r"验证码 (\d{6})", message).group(1)
    return path, code


def test_the_child_sends_the_code_and_the_guardian_reads_what_would_be_shown(client):
    child = GuardianConsentFactory(guardian_phone=GUARDIAN).child
    client.force_login(child)

    response = client.post(
        "/me/guardian/display/", {"action": "request", "next": "/contest/entries/"}
    )

    assert response.status_code == 302 and response["Location"] == "/contest/entries/"
    client.logout()
    path, code = guardian_link_from_text()
    page = client.get(path).content.decode()
    assert "公开展示" in page
    assert "学校" in page and "姓名" in page  # says what is shown and what never is
    done = client.post(path, {"code": code, "decision": "agree"}).content.decode()
    assert "您已同意" in done
    assert GuardianConsent.objects.filter(scope="display", decision="agree").count() == 1


def test_an_outside_next_address_is_ignored(client):
    child = GuardianConsentFactory(guardian_phone=GUARDIAN).child
    client.force_login(child)

    response = client.post(
        "/me/guardian/display/", {"action": "request", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/me/guardian/display/"


def test_the_child_withdraws_on_the_page(client):
    child = GuardianConsentFactory(guardian_phone=GUARDIAN).child
    GuardianConsentFactory(child=child, guardian_phone=GUARDIAN, scope="display")
    client.force_login(child)
    assert "撤回公开展示" in client.get("/me/guardian/display/").content.decode()

    response = client.post("/me/guardian/display/", {"action": "withdraw"}, follow=True)

    assert "你的作品不再公开展示" in response.content.decode()
    latest = GuardianConsent.objects.filter(scope="display").order_by("-decided_at", "-pk")[0]
    assert latest.decision == "refuse"


def test_an_adult_is_told_their_own_agreement_is_enough(client, sms_outbox):
    client.force_login(UserFactory())

    client.post("/me/guardian/display/", {"action": "request"})
    page = client.get("/me/guardian/display/").content.decode()

    assert "你自己的同意就足够了" in page
    assert not sms_outbox
    assert not GuardianConsent.objects.exists()


def test_the_page_needs_a_signed_in_user(client):
    response = client.get("/me/guardian/display/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
