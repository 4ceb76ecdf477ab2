"""Resetting a forgotten password by text message (accounts/phone_reset/)."""

import pytest
from django.test import Client

from accounts.sms import MemorySMSBackend
from tests.accounts.conftest import last_code
from tests.factories.users import PASSWORD, PhoneUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

PHONE = "+8613812345678"
NEW_PASSWORD = "lanse-tiankong-42"


def ask_for_code(client, phone="138 1234 5678"):
    return client.post("/accounts/password/reset/phone/", {"phone": phone})


def confirm(client, code, password=NEW_PASSWORD, again=None):
    return client.post(
        "/accounts/password/reset/phone/code/",
        {"code": code, "password1": password, "password2": again or password},
    )


def signs_in(password, phone="13812345678"):
    response = Client().post("/accounts/login/", {"login": phone, "password": password})
    return response.status_code == 302


def test_a_phone_user_resets_the_password_with_the_texted_code(sms_outbox):
    user = PhoneUserFactory(phone=PHONE)
    client = Client()

    assert ask_for_code(client).url == "/accounts/password/reset/phone/code/"
    assert "重置密码的验证码" in MemorySMSBackend.messages_to(PHONE)[-1]
    # The kind a China gateway sends from an approved template (accounts/sms_providers/).
    assert MemorySMSBackend.outbox[-1].template == "password_reset_code"
    response = confirm(client, last_code(PHONE))

    assert response.status_code == 302 and response.url == "/accounts/login/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert signs_in(NEW_PASSWORD) and not signs_in(PASSWORD)


def test_the_reset_ends_the_other_sessions_of_the_account(sms_outbox):
    user = PhoneUserFactory(phone=PHONE)
    elsewhere = Client()
    elsewhere.force_login(user)
    client = Client()
    ask_for_code(client)

    confirm(client, last_code(PHONE))

    assert elsewhere.get("/me/").status_code == 302


def test_a_wrong_code_is_refused_in_chinese_and_three_use_the_code_up(sms_outbox):
    user = PhoneUserFactory(phone=PHONE)
    client = Client()
    ask_for_code(client)
    right = last_code(PHONE)
    wrong = "000000" if right != "000000" else "111111"

    first = confirm(client, wrong)
    assert first.status_code == 200 and "验证码不正确" in first.content.decode()
    confirm(client, wrong)
    third = confirm(client, wrong)
    late = confirm(client, right)

    assert third.url == late.url == "/accounts/password/reset/phone/"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_number_without_an_account_gets_the_same_pages_and_no_text(sms_outbox):
    client = Client()

    response = ask_for_code(client, "139 0000 0000")
    page = client.get(response.url).content.decode()

    assert response.url == "/accounts/password/reset/phone/code/"
    assert "0000 0000" not in page and "验证码短信正在发送" in page
    assert sms_outbox == []
    assert confirm(client, "123456").status_code == 200


def test_the_new_password_must_follow_the_password_rules(sms_outbox):
    user = PhoneUserFactory(phone=PHONE)
    client = Client()
    ask_for_code(client)

    response = confirm(client, last_code(PHONE), password="123")

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_codes_for_one_number_are_limited(sms_outbox):
    PhoneUserFactory(phone=PHONE)
    for _ in range(3):
        assert ask_for_code(Client()).status_code == 302

    response = ask_for_code(Client())

    assert response.status_code == 200
    assert "验证码发送太频繁" in response.content.decode()
    assert len(MemorySMSBackend.messages_to(PHONE)) == 3


def test_the_code_page_without_a_reset_sends_back_to_the_start():
    response = Client().get("/accounts/password/reset/phone/code/")

    assert response.url == "/accounts/password/reset/phone/"


def test_the_sign_in_page_leads_to_both_ways_of_resetting():
    login = Client().get("/accounts/login/").content.decode()
    reset = Client().get("/accounts/password/reset/").content.decode()

    assert 'href="/accounts/password/reset/"' in login and "忘记密码？" in login
    assert 'href="/accounts/password/reset/phone/"' in reset
    assert "用短信验证码找回密码" in reset


def test_allauth_code_pages_say_verification_code(sms_outbox):
    PhoneUserFactory(phone=PHONE)
    client = Client()
    request_page = client.get("/accounts/login/code/").content.decode()
    client.post("/accounts/login/code/", {"phone": "13812345678"})
    confirm_page = client.get("/accounts/login/code/confirm/").content.decode()

    for page in (request_page, confirm_page):
        assert "代码" not in page and "请求码" not in page
    assert "获取登录验证码" in request_page
    assert '<label for="id_code">验证码</label>' in confirm_page
