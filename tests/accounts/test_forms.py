"""accounts/forms.py through the pages that use it (the sign-in form's guard: test_lockout_*)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.users import PhoneUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def ask_for_code(data):
    # Each time from a fresh browser: one session waits for its code instead of asking again.
    return Client().post("/accounts/login/code/", data)


def test_asking_for_codes_too_often_says_so_not_that_sign_in_failed(sms_outbox):
    PhoneUserFactory(phone="+8613812345678")
    for _ in range(3):
        assert ask_for_code({"phone": "13812345678"}).status_code == 302

    response = ask_for_code({"phone": "13812345678"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "验证码发送太频繁，请 1 分钟后再试。" in html
    assert "登录失败" not in html
    assert len(sms_outbox) == 3


def test_the_wait_follows_the_configured_limit(settings, sms_outbox):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "request_login_code": "20/m/ip,1/10m/key",
    }
    ask_for_code({"email": "reader@example.org"})

    response = ask_for_code({"email": "reader@example.org"})

    assert "验证码发送太频繁，请 10 分钟后再试。" in response.content.decode()


@pytest.mark.parametrize("data", [{}, {"phone": "", "email": ""}])
def test_asking_for_a_code_with_neither_phone_nor_email_is_refused_in_chinese(client, data):
    # Found by the generative tests (tests/fuzz/): allauth failed with a 500 here.
    response = client.post(reverse("account_request_login_code"), data)

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors and all(re.search(r"[\u4e00-\u9fff]", e) for e in errors)
