"""Every place that checks a password goes through the one guard (accounts/lockout/forms.py):
failures anywhere count everywhere, and a lockout cannot be sidestepped from any entry."""

import pytest

from accounts.models import User
from tests.captcha import has_captcha, solve
from tests.factories.users import PASSWORD, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

ATTACKER = "198.51.100.20"
NEW_PASSWORD = "a brand new passphrase 42"


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.KEPU_SIGNIN_MAX_FAILURES = 3


@pytest.fixture
def staff():
    # Staff can use every entry: the site's sign-in, the admin's and the signed-in pages.
    return StaffFactory(username="editor", email="editor@example.org")


def post(client, path, data, **extra):
    return client.post(path, data, REMOTE_ADDR=ATTACKER, **extra)


def site_sign_in(client, user, password, **extra):
    data = {"login": user.email, "password": password, **extra}
    response = post(client, "/accounts/login/", data)
    return response, response.status_code == 302 and "_auth_user_id" in client.session


def admin_sign_in(client, user, password, **extra):
    data = {"username": user.username, "password": password, **extra}
    response = post(client, "/admin/login/", data)
    return response, response.status_code == 302 and "_auth_user_id" in client.session


def django_admin_sign_in(client, user, password, **extra):
    data = {"username": user.username, "password": password, **extra}
    response = post(client, "/django-admin/login/", data)
    return response, "_auth_user_id" in client.session


def reauthenticate(client, user, password, **extra):
    client.force_login(user)
    response = post(client, "/accounts/reauthenticate/", {"password": password, **extra})
    return response, response.status_code == 302


def change_password(client, user, password, **extra):
    client.force_login(user)
    data = {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    response = post(client, "/accounts/password/change/", {**data, **extra})
    user.refresh_from_db()
    return response, user.check_password(NEW_PASSWORD)


def delete_account(client, user, password, **extra):
    client.force_login(user)
    response = post(client, "/me/delete/", {"password": password, **extra})
    return response, not User.objects.filter(pk=user.pk).exists()


CHECKING = {
    "site sign-in": site_sign_in,
    "admin sign-in": admin_sign_in,
    "re-authentication": reauthenticate,
    "password change": change_password,
    "account deletion": delete_account,
}
EVERY_ENTRY = {**CHECKING, "Django admin sign-in": django_admin_sign_in}


@pytest.mark.parametrize("entry", CHECKING.values(), ids=CHECKING.keys())
def test_each_entry_accepts_the_right_password(client, staff, entry):
    _response, accepted = entry(client, staff, PASSWORD)

    assert accepted


@pytest.mark.parametrize("entry", CHECKING.values(), ids=CHECKING.keys())
def test_each_entry_says_a_wrong_password_is_wrong(client, staff, entry):
    response, accepted = entry(client, staff, "wrong")

    assert not accepted and response.status_code == 200
    assert "不正确" in response.content.decode() or "不匹配" in response.content.decode()


@pytest.mark.parametrize("failing", CHECKING.values(), ids=CHECKING.keys())
@pytest.mark.parametrize("trying", EVERY_ENTRY.values(), ids=EVERY_ENTRY.keys())
def test_failures_at_any_entry_lock_out_every_entry(client, staff, failing, trying):
    for _ in range(3):
        _response, accepted = failing(client, staff, "wrong")
        assert not accepted
        client.logout()

    response, accepted = trying(client, staff, PASSWORD)

    assert not accepted
    if trying is not django_admin_sign_in:
        assert "登录失败次数过多" in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


@pytest.mark.parametrize("entry", CHECKING.values(), ids=CHECKING.keys())
def test_each_entry_asks_the_captcha_while_the_account_is_under_attack(client, staff, entry):
    for _ in range(3):
        client.post(
            "/accounts/login/", {"login": staff.email, "password": "wrong"}, REMOTE_ADDR="192.0.2.1"
        )

    response, accepted = entry(client, staff, PASSWORD)
    assert not accepted and has_captcha(response.content.decode())
    client.logout()

    _response, accepted = entry(client, staff, PASSWORD, **solve(response.content.decode()))
    assert accepted
