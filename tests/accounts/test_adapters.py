"""The allauth adapter's phone hooks, on `User.phone` / `User.phone_verified`."""

import pytest
from allauth.account.adapter import get_adapter
from django.test import Client

from accounts.models import User
from tests.factories.users import PASSWORD, PhoneUserFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_the_adapter_implements_every_phone_hook():
    assert get_adapter()._has_phone_impl


def test_set_phone_stores_the_normalised_number():
    user = UserFactory()

    get_adapter().set_phone(user, "138 1234 5678", False)

    user.refresh_from_db()
    assert (user.phone, user.phone_verified) == ("+8613812345678", False)
    assert get_adapter().get_phone(user) == ("+8613812345678", False)


def test_get_phone_is_none_without_a_number():
    assert get_adapter().get_phone(UserFactory(phone=None)) is None


def test_set_phone_verified_marks_only_the_number_on_file():
    user = PhoneUserFactory(phone="+8613812345678", phone_verified=False)

    get_adapter().set_phone_verified(user, "+8613900000000")
    user.refresh_from_db()
    assert not user.phone_verified

    get_adapter().set_phone_verified(user, "+8613812345678")
    user.refresh_from_db()
    assert user.phone_verified


def test_users_are_found_by_any_spelling_of_their_number():
    user = PhoneUserFactory(phone="+8613812345678")

    assert get_adapter().get_user_by_phone("138-1234-5678") == user
    assert get_adapter().get_user_by_phone("+8613900000000") is None
    assert get_adapter().get_user_by_phone("not a number") is None


def test_verification_codes_are_texted_in_chinese(sms_outbox):
    user = PhoneUserFactory(phone="+8613812345678")

    get_adapter().send_verification_code_sms(user=user, phone=user.phone, code="123456")

    assert sms_outbox[-1].phone == "+8613812345678"
    assert "验证码是 123456" in sms_outbox[-1].message


def test_unknown_numbers_get_a_sign_up_hint(sms_outbox):
    get_adapter().send_unknown_account_sms("+8613812345678")

    assert "尚未注册" in sms_outbox[-1].message


def test_a_text_over_the_per_number_quota_is_dropped_not_raised(settings, sms_outbox):
    settings.KEPU_SMS_MAX_PER_PHONE = 1
    user = PhoneUserFactory(phone="+8613812345678")
    adapter = get_adapter()

    adapter.send_verification_code_sms(user=user, phone=user.phone, code="111111")
    adapter.send_verification_code_sms(user=user, phone=user.phone, code="222222")

    assert len(sms_outbox) == 1


def test_a_person_over_the_per_number_quota_is_told_no_code_will_come(settings, sms_outbox):
    settings.KEPU_SMS_MAX_PER_PHONE = 1
    PhoneUserFactory(phone="+8613812345678")
    Client().post("/accounts/login/code/", {"phone": "13812345678"})

    # Another browser (the first one would just wait for its code).
    response = Client().post("/accounts/login/code/", {"phone": "13812345678"}, follow=True)

    assert "这个手机号收到的短信太多，请 60 分钟后再试。" in response.content.decode()
    assert len(sms_outbox) == 1


def test_a_code_typed_wrong_too_often_says_so_not_that_sign_in_failed(client, sms_outbox):
    PhoneUserFactory(phone="+8613812345678")
    client.post("/accounts/login/code/", {"phone": "13812345678"})
    for _ in range(2):
        client.post("/accounts/login/code/confirm/", {"code": "000000"})

    response = client.post("/accounts/login/code/confirm/", {"code": "000000"}, follow=True)

    html = response.content.decode()
    assert "验证码输错次数过多，请重新获取验证码。" in html
    assert "登录失败" not in html


def test_asking_again_for_a_phone_verification_code_too_soon_says_so(client, sms_outbox):
    client.post("/accounts/age/?next=/accounts/signup/", {"birth_year": "1990", "birth_month": "6"})
    client.post(
        "/accounts/signup/",
        {"phone": "13812345678", "email": "", "password1": PASSWORD, "password2": PASSWORD},
    )

    response = client.post("/accounts/phone/verify/", {"action": "resend"}, follow=True)

    assert "验证码发送太频繁，请过几分钟再试。" in response.content.decode()
    assert len(sms_outbox) == 1


def test_a_gateway_outage_is_logged_not_raised(settings, caplog):
    settings.KEPU_SMS_BACKEND = "tests.accounts.test_consent.BrokenGateway"
    user = PhoneUserFactory(phone="+8613812345678")

    get_adapter().send_verification_code_sms(user=user, phone=user.phone, code="123456")

    assert "sms sending failed" in caplog.text


def test_messages_name_people_without_their_full_number():
    from accounts.adapters import user_display

    assert user_display(PhoneUserFactory(phone="+8613812345678")) == "138****5678"
    assert user_display(UserFactory(display_name="小明")) == "小明"


class FakeResponse:
    status_code = 200

    def __init__(self, data):
        self.data = data
        self.content = repr(data).encode()

    def json(self):
        return self.data

    def raise_for_status(self):
        pass


class FakeWeChat:
    """Stands in for api.weixin.qq.com: hands out a token, then the user's profile."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def request(self, method, url, **kwargs):
        assert url.startswith("https://api.weixin.qq.com/sns/oauth2/access_token")
        return FakeResponse({"access_token": "wx-token", "openid": "wx-openid", "expires_in": 7200})

    def get(self, url, **kwargs):
        assert url.startswith("https://api.weixin.qq.com/sns/userinfo")
        return FakeResponse({"openid": "wx-openid", "nickname": "小明"})


def sign_in_with_wechat(client, settings, monkeypatch):
    """The whole OAuth round trip against a fake WeChat; returns the signed-in user."""
    from urllib.parse import parse_qs, urlparse

    from accounts.adapters import SocialAccountAdapter

    settings.SOCIALACCOUNT_PROVIDERS = {
        "weixin": {"APPS": [{"client_id": "wx-id", "secret": "wx-secret"}]}
    }
    monkeypatch.setattr(SocialAccountAdapter, "get_requests_session", lambda self: FakeWeChat())
    start = client.post("/accounts/weixin/login/", {"process": "login"})
    assert start["Location"].startswith("https://open.weixin.qq.com/connect/qrconnect")
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    client.get("/accounts/weixin/login/callback/", {"code": "wx-code", "state": state})
    return User.objects.get()


def test_a_wechat_sign_up_is_sent_to_the_age_step_before_anything_else(
    client, settings, monkeypatch
):
    from allauth.socialaccount.models import SocialAccount

    user = sign_in_with_wechat(client, settings, monkeypatch)

    assert SocialAccount.objects.get(user=user).uid == "wx-openid"
    assert user.birth_year is None
    assert user.username.startswith("u") and "小明" not in user.username
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/age/")


def test_a_wechat_sign_up_after_the_age_step_keeps_that_age(client, settings, monkeypatch):
    client.post("/accounts/age/", {"birth_year": "2016", "birth_month": "3"})

    user = sign_in_with_wechat(client, settings, monkeypatch)

    assert (user.birth_year, user.birth_month) == (2016, 3)
    assert user.consent_status == User.ConsentStatus.PENDING
    assert client.get("/me/")["Location"] == "/me/guardian/"


@pytest.mark.parametrize("path", ["/accounts/weixin/login/", "/accounts/weixin/login/callback/"])
def test_wechat_pages_are_not_found_where_wechat_is_not_configured(client, path):
    # Found by the generative tests (tests/fuzz/): these answered 500 for anyone.
    response = client.get(path)

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/accounts/password/reset/", {"email": "a@b\ufffd.com"}),
        ("/accounts/login/code/", {"email": "a@b\ufffd.com"}),
    ],
)
def test_an_address_no_mail_can_be_sent_to_is_refused_in_chinese(client, url, data):
    # Found by the generative tests (tests/fuzz/): sending failed on the IDNA encoding (500).
    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["请输入有效的电子邮箱地址。"]


def test_links_in_allauth_mails_use_the_public_address(client, mailoutbox, settings):
    settings.ALLOWED_HOSTS = ["*"]
    UserFactory(email="reader@example.org")

    client.post(
        "/accounts/password/reset/", {"email": "reader@example.org"}, HTTP_HOST="10.0.0.5:8000"
    )
    client.post(
        "/accounts/password/reset/", {"email": "nobody@example.org"}, HTTP_HOST="10.0.0.5:8000"
    )

    bodies = [message.subject + message.body for message in mailoutbox]
    assert len(bodies) == 2
    assert all(message.subject.startswith("[科普在线]") for message in mailoutbox)
    assert "https://kepu.example.org/accounts/password/reset/key/" in bodies[0]
    assert "https://kepu.example.org/accounts/signup/" in bodies[1]
    assert not any("10.0.0.5" in body for body in bodies)
