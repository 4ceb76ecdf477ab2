"""Signing up and in through the real allauth views: the age step first, then phone or e-mail."""

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from tests.accounts.conftest import last_code
from tests.factories.users import PASSWORD, PhoneUserFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

ADULT = {"birth_year": "1990", "birth_month": "6"}


def pass_age_step(client, birth=ADULT):
    response = client.post("/accounts/age/?next=/accounts/signup/", birth)
    assert response.status_code == 302, response.content.decode()
    return response


def sign_up(client, **fields):
    data = {"phone": "", "email": "", "password1": PASSWORD, "password2": PASSWORD, **fields}
    return client.post("/accounts/signup/", data)


def test_signup_page_sends_you_to_the_age_step_first(client):
    response = client.get("/accounts/signup/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/age/")
    assert "next=%2Faccounts%2Fsignup%2F" in response["Location"]


def test_a_signup_post_without_the_age_step_creates_nobody(client):
    response = sign_up(client, email="someone@example.org")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/age/")
    assert not User.objects.exists()


def test_the_age_step_returns_to_the_signup_form(client):
    response = pass_age_step(client)

    assert response["Location"] == "/accounts/signup/"
    page = client.get("/accounts/signup/")
    assert page.status_code == 200
    assert 'name="phone"' in page.content.decode()


def test_signing_up_by_phone_texts_a_code_and_verifies_the_number(client, sms_outbox):
    pass_age_step(client)

    response = sign_up(client, phone="138 1234 5678")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/phone/verify/"
    user = User.objects.get()
    assert user.phone == "+8613812345678"
    assert not user.phone_verified
    assert (user.birth_year, user.birth_month) == (1990, 6)
    assert user.consent_status == User.ConsentStatus.NOT_REQUIRED
    assert sms_outbox[-1].phone == "+8613812345678"

    response = client.post("/accounts/phone/verify/", {"code": last_code("+8613812345678")})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified
    assert client.get("/me/").status_code == 200


def test_a_wrong_verification_code_is_refused_in_chinese(client):
    pass_age_step(client)
    sign_up(client, phone="13812345678")

    response = client.post("/accounts/phone/verify/", {"code": "000000"})

    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert not User.objects.get().phone_verified


def test_a_phone_user_signs_in_with_number_and_password(client):
    PhoneUserFactory(phone="+8613812345678")

    response = client.post("/accounts/login/", {"login": "+86 138-1234-5678", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/me/"
    assert client.get("/me/").status_code == 200


def test_a_phone_user_signs_in_with_a_texted_code(client, sms_outbox):
    PhoneUserFactory(phone="+8613812345678")

    response = client.post("/accounts/login/code/", {"phone": "13812345678"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/code/confirm/")
    code = last_code("+8613812345678")
    response = client.post("/accounts/login/code/confirm/", {"code": code})
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


def test_an_email_user_signs_in_with_address_and_password(client):
    UserFactory(email="reader@example.org")

    response = client.post(
        "/accounts/login/", {"login": "Reader@Example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


def test_a_wrong_password_is_refused_in_chinese(client):
    PhoneUserFactory(phone="+8613812345678")

    response = client.post("/accounts/login/", {"login": "13812345678", "password": "wrong"})

    assert response.status_code == 200
    assert "不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_allauth_rate_limits_answer_with_a_chinese_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    for _ in range(2):
        client.post("/accounts/login/", {"login": "13812345678", "password": "x"})

    response = client.post("/accounts/login/", {"login": "13812345678", "password": "x"})

    assert response.status_code == 429
    assert "尝试次数过多" in response.content.decode()


def test_signing_up_by_email_needs_no_phone(client, mailoutbox):
    pass_age_step(client)

    response = sign_up(client, email="Reader@Example.org")

    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "reader@example.org"
    assert user.phone is None
    assert EmailAddress.objects.filter(user=user, email="reader@example.org").exists()
    # An opaque username: nothing personal shows where usernames are listed.
    assert "reader" not in user.username
    assert mailoutbox, "a verification e-mail is sent"
    assert client.get("/me/").status_code == 200


def test_signing_up_with_neither_phone_nor_email_is_refused_in_chinese(client):
    pass_age_step(client)

    response = sign_up(client)

    assert response.status_code == 200
    assert "请填写手机号或电子邮箱" in response.content.decode()
    assert not User.objects.exists()


def test_an_invalid_phone_number_is_refused_in_chinese(client):
    pass_age_step(client)

    response = sign_up(client, phone="12345")

    assert response.status_code == 200
    assert "请输入有效的中国大陆手机号" in response.content.decode()
    assert not User.objects.exists()


def test_an_under_14_signup_creates_an_account_waiting_for_a_guardian(client):
    pass_age_step(client, {"birth_year": "2016", "birth_month": "1"})

    sign_up(client, email="kid@example.org")

    user = User.objects.get()
    assert user.consent_status == User.ConsentStatus.PENDING
    assert client.get("/me/")["Location"] == "/me/guardian/"


def test_the_remembered_age_is_used_once(client):
    pass_age_step(client)
    sign_up(client, email="first@example.org")
    client.logout()

    assert client.get("/accounts/signup/")["Location"].startswith("/accounts/age/")
