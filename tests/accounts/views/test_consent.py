"""The consent pages over HTTP: the child's waiting page and the guardian's decision page."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from accounts.consent import request_guardian_consent
from accounts.models import GuardianConsent, User
from accounts.sms import MemorySMSBackend
from tests.factories.users import ChildFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

GUARDIAN = "+8613700000001"


class DecisionButtons(HTMLParser):
    """Collects every element that submits a `decision`, with its tag and attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("name") == "decision":
            self.found.append((tag, attrs))


def guardian_link_from_text():
    message = MemorySMSBackend.messages_to(GUARDIAN)[-1]
    path = re.search(r"https?://[^/\s]+(/guardian/[^/\s]+/)", message).group(1)
    code = re.search(r"验证码 (\d{6})", message).group(1)
    return path, code


def ask_guardian(client, child=None):
    child = child or ChildFactory()
    client.force_login(child)
    response = client.post("/me/guardian/", {"phone": "137 0000 0001"})
    assert response.status_code == 302
    client.logout()
    return child


def test_the_child_sends_the_request_from_the_waiting_page(client, sms_outbox):
    child = ChildFactory()
    client.force_login(child)

    response = client.post("/me/guardian/", {"phone": "137 0000 0001"}, follow=True)

    page = response.content.decode()
    assert "短信已发送给你的监护人" in page
    assert "137****0001" in page
    assert sms_outbox[-1].phone == GUARDIAN
    assert "https://kepu.example.org/guardian/" in sms_outbox[-1].message


def test_the_child_cannot_enter_their_own_number(client, sms_outbox):
    client.force_login(ChildFactory(phone="+8613812345678"))

    response = client.post("/me/guardian/", {"phone": "13812345678"})

    assert response.status_code == 200
    assert "不能填写你自己的手机号" in response.content.decode()
    assert not sms_outbox


def test_an_invalid_guardian_number_is_refused_in_chinese(client):
    client.force_login(ChildFactory())

    response = client.post("/me/guardian/", {"phone": "123"})

    assert "请输入有效的中国大陆手机号" in response.content.decode()


def test_the_guardian_page_shows_the_terms_and_two_equal_choices(client, settings):
    settings.KEPU_CONSENT_POLICY_VERSION = "2026-11"
    ask_guardian(client)
    path, _ = guardian_link_from_text()

    response = client.get(path)

    page = response.content.decode()
    assert response.status_code == 200
    assert "您同意的内容" in page
    assert "同意书版本 2026-11" in page
    assert '<label for="id_code">' in page
    parser = DecisionButtons()
    parser.feed(page)
    (agree_tag, agree), (refuse_tag, refuse) = parser.found
    assert (agree["value"], refuse["value"]) == ("agree", "refuse")
    # Equal prominence: same element, same type, same classes; neither pre-selected.
    assert agree_tag == refuse_tag == "button"
    assert agree["type"] == refuse["type"] == "submit"
    assert agree["class"] == refuse["class"]
    for attrs in (agree, refuse):
        assert not {"autofocus", "checked", "selected", "style"} & set(attrs)
    assert "同意</button>" in page and "拒绝</button>" in page


def test_a_wrong_code_on_the_guardian_page_is_refused_in_chinese(client):
    child = ask_guardian(client)
    path, code = guardian_link_from_text()

    wrong = "000000" if code != "000000" else "111111"
    response = client.post(path, {"code": wrong, "decision": "agree"})

    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    child.refresh_from_db()
    assert child.consent_status == User.ConsentStatus.PENDING


def test_the_guardian_agrees_and_the_child_can_use_the_account(client):
    child = ask_guardian(client)
    path, code = guardian_link_from_text()

    response = client.post(path, {"code": code, "decision": "agree"}, REMOTE_ADDR="203.0.113.9")

    assert "您已同意" in response.content.decode()
    record = GuardianConsent.objects.get()
    assert (record.decision, record.ip_address) == ("agree", "203.0.113.9")
    client.force_login(child)
    assert client.get("/me/").status_code == 200


def test_the_guardian_refuses_and_the_child_is_told(client):
    child = ask_guardian(client)
    path, code = guardian_link_from_text()

    response = client.post(path, {"code": code, "decision": "refuse"})

    assert "您已拒绝" in response.content.decode()
    client.force_login(child)
    assert "你的监护人没有同意" in client.get("/me/guardian/").content.decode()


def test_a_used_link_cannot_decide_again(client):
    ask_guardian(client)
    path, code = guardian_link_from_text()
    client.post(path, {"code": code, "decision": "agree"})

    response = client.post(path, {"code": code, "decision": "refuse"})

    assert response.status_code == 410
    assert "不能再次使用" in response.content.decode()
    assert GuardianConsent.objects.get().decision == "agree"


def test_an_expired_link_says_so(client):
    child = ChildFactory()
    issued = request_guardian_consent(
        child,
        GUARDIAN,
        build_link=lambda token: f"http://testserver/guardian/{token}/",
        now=timezone.now() - timedelta(hours=1),
    )

    response = client.get(f"/guardian/{issued.token}/")

    assert response.status_code == 410
    assert "此链接已过期" in response.content.decode()


def test_an_unknown_link_is_not_found(client):
    response = client.get("/guardian/made-up-token/")

    assert response.status_code == 404
    assert "此链接无效" in response.content.decode()


def test_a_decision_without_a_button_is_refused(client):
    ask_guardian(client)
    path, code = guardian_link_from_text()

    response = client.post(path, {"code": code})

    assert "请选择“同意”或“拒绝”" in response.content.decode()
    assert not GuardianConsent.objects.exists()
