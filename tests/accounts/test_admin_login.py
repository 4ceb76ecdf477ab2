import pytest

from tests.factories.users import StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def sign_in(client, username, password, ip="198.51.100.20"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_admin_sign_in_succeeds_with_the_right_password(client):
    StaffFactory(username="editor")

    response = sign_in(client, "editor", "correct horse battery")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_admin_sign_in_locks_out_after_repeated_failures(client, settings):
    settings.KEPU_ADMIN_LOGIN_MAX_FAILURES = 3
    StaffFactory(username="editor")
    for _ in range(3):
        assert sign_in(client, "editor", "wrong").status_code == 200

    # Even the right password is refused while locked out, with a message in Chinese.
    response = sign_in(client, "editor", "correct horse battery")

    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_follows_the_username_across_addresses(client, settings):
    settings.KEPU_ADMIN_LOGIN_MAX_FAILURES = 3
    StaffFactory(username="editor")
    for i in range(3):
        sign_in(client, "editor", "wrong", ip=f"198.51.100.{i + 1}")

    assert sign_in(client, "editor", "correct horse battery", ip="203.0.113.5").status_code == 429


def test_spoofed_forwarded_for_does_not_escape_the_ip_lockout(client, settings):
    settings.KEPU_ADMIN_LOGIN_MAX_FAILURES = 3
    settings.KEPU_TRUSTED_PROXIES = []
    for i in range(3):
        client.post(
            "/admin/login/",
            {"username": f"guess{i}", "password": "x"},
            REMOTE_ADDR="198.51.100.9",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{i}",
        )

    response = client.post(
        "/admin/login/",
        {"username": "other", "password": "x"},
        REMOTE_ADDR="198.51.100.9",
        HTTP_X_FORWARDED_FOR="10.9.9.99",
    )
    assert response.status_code == 429
