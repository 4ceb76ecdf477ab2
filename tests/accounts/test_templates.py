"""Every account page is a page of the site: base.html, site CSS, no inline script or style."""

import re

import pytest
from django.core import mail

from tests.factories.users import PASSWORD, ChildFactory, PhoneUserFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

WECHAT = {"weixin": {"APPS": [{"client_id": "wx-test-id", "secret": "wx-test-secret"}]}}


def assert_site_page(response):
    assert response.status_code == 200, response
    html = response.content.decode()
    assert 'class="site-header"' in html, "rendered inside templates/base.html"
    assert "/static/css/site.css" in html
    # The content security policy allows no inline script or style.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert " style=" not in html, "inline style attribute"
    assert "<style" not in html
    # Every visible input has a label.
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
        tag = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{field_id}"[^>]*>', html).group(0)
        if 'type="hidden"' in tag:
            continue
        assert f'for="{field_id}"' in html, f"no label for #{field_id}"
    return html


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/login/code/",
        "/accounts/age/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
    ],
)
def test_anonymous_account_pages_use_the_site_layout(client, path):
    assert_site_page(client.get(path))


def test_the_signup_page_uses_the_site_layout_and_shows_the_birth_month(client):
    client.post("/accounts/age/", {"birth_year": "2001", "birth_month": "9"})

    html = assert_site_page(client.get("/accounts/signup/"))

    assert "出生年月：2001年9月" in html
    assert "手机号" in html and "电子邮箱" in html


@pytest.mark.parametrize(
    "path",
    [
        "/me/",
        "/me/delete/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/phone/change/",
        "/accounts/logout/",
        "/accounts/3rdparty/",
    ],
)
def test_signed_in_account_pages_use_the_site_layout(client, path):
    client.force_login(PhoneUserFactory())

    assert_site_page(client.get(path))


def test_the_consent_pages_use_the_site_layout(client, sms_outbox):
    client.force_login(ChildFactory())
    assert_site_page(client.get("/me/guardian/"))
    client.post("/me/guardian/", {"phone": "13700000001"})
    path = re.search(r"(/guardian/[^/\s]+/)", sms_outbox[-1].message).group(1)
    client.logout()

    assert_site_page(client.get(path))


def test_the_code_entry_pages_use_the_site_layout(client, sms_outbox):
    PhoneUserFactory(phone="+8613812345678")
    client.post("/accounts/login/code/", {"phone": "13812345678"})

    html = assert_site_page(client.get("/accounts/login/code/confirm/"))

    assert "13812345678" in html

    client.post("/accounts/age/", {"birth_year": "1990", "birth_month": "6"})
    client.post(
        "/accounts/signup/",
        {"phone": "13900000009", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert_site_page(client.get("/accounts/phone/verify/"))


def test_password_reset_by_email_works_end_to_end(client):
    UserFactory(email="reader@example.org")

    response = client.post("/accounts/password/reset/", {"email": "reader@example.org"})

    assert response.status_code == 302
    link = re.search(
        r"https://kepu.example.org(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body
    )
    form = client.get(link.group(1), follow=True)
    assert_site_page(form)
    new = "a new long password 42"
    done = client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert done.status_code == 302
    assert client.login(username=UserFactory._meta.model.objects.get().username, password=new)


def test_without_wechat_credentials_there_is_no_wechat_button(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    client.post("/accounts/age/", {"birth_year": "1990", "birth_month": "6"})

    for path in ("/accounts/login/", "/accounts/signup/"):
        html = assert_site_page(client.get(path))
        assert "微信登录" not in html
        assert "/accounts/weixin/" not in html


def test_with_wechat_credentials_the_wechat_button_shows(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = WECHAT
    client.post("/accounts/age/", {"birth_year": "1990", "birth_month": "6"})

    for path in ("/accounts/login/", "/accounts/signup/"):
        html = assert_site_page(client.get(path))
        assert "微信登录" in html
        assert 'href="/accounts/weixin/login/?process=login"' in html

    assert_site_page(client.get("/accounts/weixin/login/?process=login"))
