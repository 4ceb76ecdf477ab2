import pytest

from tests.captcha import has_captcha, solve
from tests.factories.users import PASSWORD, StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

ATTACKER = "198.51.100.20"
EDITOR_HOME = "203.0.113.5"


def sign_in(client, username, password, ip=ATTACKER, path="/admin/login/", **extra):
    return client.post(path, {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)


def fail(client, username, times, ip=ATTACKER):
    for _ in range(times):
        assert sign_in(client, username, "wrong", ip=ip).status_code == 200


def test_admin_sign_in_succeeds_with_the_right_password(client):
    StaffFactory(username="editor")

    response = sign_in(client, "editor", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_an_address_is_locked_out_after_repeated_failures(client, settings):
    settings.KEPU_SIGNIN_MAX_FAILURES = 3
    StaffFactory(username="editor")
    fail(client, "editor", 3)

    # Even the right password is refused from that address, with a message in Chinese.
    response = sign_in(client, "editor", PASSWORD)

    assert response.status_code == 429
    assert "登录失败次数过多，请等待 15 分钟后再试" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_stranger_cannot_lock_the_admin_out(client, settings):
    settings.KEPU_SIGNIN_MAX_FAILURES = 3
    StaffFactory(username="admin")
    for i in range(4):
        fail(client, "admin", 3, ip=f"198.51.100.{i + 1}")

    # The editor, from another address, gets a captcha instead of a lockout.
    page = sign_in(client, "admin", PASSWORD, ip=EDITOR_HOME)
    assert page.status_code == 200 and has_captcha(page.content.decode())
    assert "请先回答下面的算术题" in page.content.decode()
    assert "_auth_user_id" not in client.session

    response = sign_in(client, "admin", PASSWORD, ip=EDITOR_HOME, **solve(page.content.decode()))

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_lockout_counts_the_account_however_its_login_is_spelt(client, settings):
    settings.KEPU_SIGNIN_MAX_FAILURES = 3
    StaffFactory(username="editor", email="editor@example.org")
    for login in ("editor", "EDITOR@example.org", "editor@EXAMPLE.org"):
        sign_in(client, login, "wrong")

    assert sign_in(client, "editor@example.org", PASSWORD).status_code == 429
    assert sign_in(client, "editor", PASSWORD).status_code == 429


def test_spoofed_forwarded_for_does_not_escape_the_lockout(client, settings):
    settings.KEPU_SIGNIN_MAX_FAILURES = 3
    settings.KEPU_TRUSTED_PROXIES = []
    StaffFactory(username="editor")
    for i in range(3):
        sign_in(client, "editor", "wrong", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}")

    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
        HTTP_X_FORWARDED_FOR="10.9.9.99",
    )

    assert response.status_code == 429


def test_addresses_in_one_ipv6_slash_64_count_as_one(client, settings):
    settings.KEPU_SIGNIN_MAX_FAILURES = 3
    StaffFactory(username="editor")
    for i in range(3):
        sign_in(client, "editor", "wrong", ip=f"2001:db8:1:2::{i + 1:x}")

    assert sign_in(client, "editor", PASSWORD, ip="2001:db8:1:2:ffff::9").status_code == 429


def test_the_django_admin_sends_people_to_the_protected_sign_in(client):
    response = client.get("/django-admin/outbox/outboxmessage/")
    assert response.status_code == 302
    response = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/django-admin/outbox/outboxmessage/"


def test_the_django_admin_sign_in_checks_no_password(client):
    StaffFactory(username="editor")

    response = sign_in(client, "editor", PASSWORD, path="/django-admin/login/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


def test_a_locked_out_address_cannot_sign_in_through_the_django_admin(client, settings):
    settings.KEPU_SIGNIN_MAX_FAILURES = 3
    StaffFactory(username="editor")
    fail(client, "editor", 3)

    sign_in(client, "editor", PASSWORD, path="/django-admin/login/?next=/django-admin/")

    assert "_auth_user_id" not in client.session
    assert client.get("/django-admin/").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_signing_in_once_opens_both_admins_and_returns_to_the_page_asked_for(client):
    StaffFactory(username="editor")

    response = sign_in(client, "editor", PASSWORD, next="/django-admin/outbox/outboxmessage/")

    assert response["Location"] == "/django-admin/outbox/outboxmessage/"
    assert client.get("/django-admin/outbox/outboxmessage/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_someone_signed_in_without_django_admin_access_is_refused_not_looped(client):
    client.force_login(UserFactory())

    response = client.get("/django-admin/login/?next=/django-admin/")

    assert response.status_code == 403


def test_staff_already_signed_in_go_straight_to_the_django_admin_page_asked_for(client):
    client.force_login(StaffFactory())

    response = client.get("/django-admin/login/?next=/django-admin/outbox/outboxmessage/")
    elsewhere = client.get("/django-admin/login/?next=https://evil.example/")

    assert response["Location"] == "/django-admin/outbox/outboxmessage/"
    assert elsewhere["Location"] == "/django-admin/"


def test_the_django_admin_password_change_is_the_guarded_one(client):
    client.force_login(StaffFactory())

    response = client.post(
        "/django-admin/password_change/",
        {"old_password": PASSWORD, "new_password1": "x", "new_password2": "x"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/"


def test_wagtails_own_password_reset_and_change_are_switched_off(client):
    staff = StaffFactory()
    assert client.get("/admin/password_reset/").status_code == 404

    client.force_login(staff)
    page = client.get("/admin/account/").content.decode()

    assert 'name="password-old_password"' not in page
    assert 'href="/accounts/password/change/"' in page
