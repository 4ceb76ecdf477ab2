"""The lockout rules (accounts/lockout/policy.py), through the site's sign-in page."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from accounts.lockout import policy
from tests.accounts.conftest import last_code
from tests.captcha import has_captcha, solve
from tests.factories.users import PASSWORD, PhoneUserFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

PHONE = "+8613812345678"
HOME = "203.0.113.7"


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.KEPU_SIGNIN_MAX_FAILURES = 3
    settings.KEPU_SIGNIN_ACCOUNT_MAX_FAILURES = 9


def sign_in(client, login, password, ip, **extra):
    return client.post(
        "/accounts/login/", {"login": login, "password": password, **extra}, REMOTE_ADDR=ip
    )


def attempt(client, login, password, ip):
    """Signs in as a person would: answering the captcha when the page asks for it."""
    response = sign_in(client, login, password, ip)
    if "请先回答下面的算术题" in response.content.decode():
        response = sign_in(client, login, password, ip, **solve(response.content.decode()))
    return response


def fail_from(client, login, addresses, times=3):
    for ip in addresses:
        for _ in range(times):
            response = attempt(client, login, "wrong", ip)
            assert response.status_code == 200 and "不正确" in response.content.decode()


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_failures_from_one_address_lock_out_that_address_only(client):
    PhoneUserFactory(phone=PHONE)
    fail_from(client, "13812345678", ["198.51.100.1"])

    locked = sign_in(client, "13812345678", PASSWORD, "198.51.100.1")
    assert "登录失败次数过多" in locked.content.decode() and not signed_in(client)

    # Elsewhere the account asks a captcha first (it has failures), then signs in.
    page = sign_in(client, "13812345678", PASSWORD, HOME)
    assert not signed_in(client) and has_captcha(page.content.decode())
    response = sign_in(client, "13812345678", PASSWORD, HOME, **solve(page.content.decode()))
    assert response.status_code == 302 and signed_in(client)


def test_below_the_thresholds_nobody_is_asked_anything(client):
    PhoneUserFactory(phone=PHONE)
    fail_from(client, "13812345678", ["198.51.100.1"], times=2)

    response = sign_in(client, "13812345678", PASSWORD, HOME)

    assert response.status_code == 302 and signed_in(client)


def test_a_right_password_forgives_that_addresses_earlier_failures(client):
    PhoneUserFactory(phone=PHONE)
    fail_from(client, "13812345678", [HOME], times=2)
    assert sign_in(client, "13812345678", PASSWORD, HOME).status_code == 302
    client.logout()

    # Without the forgiving, this would be the address's fourth failure: locked out.
    fail_from(client, "13812345678", [HOME], times=2)

    assert attempt(client, "13812345678", PASSWORD, HOME).status_code == 302


def test_a_distributed_attack_stops_at_the_account_ceiling(client):
    PhoneUserFactory(phone=PHONE)
    fail_from(client, "13812345678", ["198.51.100.1", "198.51.100.2", "198.51.100.3"])

    # 9 failures: a new address is refused even with the right password, captcha or not.
    page = sign_in(client, "13812345678", PASSWORD, "192.0.2.50").content.decode()

    assert "只接受以前登录过的网络" in page and not has_captcha(page)
    assert not signed_in(client)


def test_the_owner_still_signs_in_from_their_own_address_after_a_captcha(client):
    PhoneUserFactory(phone=PHONE)
    assert sign_in(client, "13812345678", PASSWORD, HOME).status_code == 302
    client.logout()
    fail_from(client, "13812345678", ["198.51.100.1", "198.51.100.2", "198.51.100.3"])

    page = sign_in(client, "13812345678", PASSWORD, HOME).content.decode()
    assert has_captcha(page) and not signed_in(client)
    response = sign_in(client, "13812345678", PASSWORD, HOME, **solve(page))

    assert response.status_code == 302 and signed_in(client)


def test_the_password_is_not_checked_until_the_captcha_is_answered(client):
    PhoneUserFactory(phone=PHONE)
    fail_from(client, "13812345678", ["198.51.100.1"])

    # Wrong passwords without an answer are not even checked, so they count for nothing.
    for _ in range(5):
        page = sign_in(client, "13812345678", "wrong", HOME)
        assert "请先回答下面的算术题" in page.content.decode()
        assert "不正确" not in page.content.decode()

    response = sign_in(client, "13812345678", PASSWORD, HOME, **solve(page.content.decode()))
    assert response.status_code == 302


def test_a_wrong_answer_gets_a_fresh_question_and_a_clear_message(client):
    PhoneUserFactory(phone=PHONE)
    fail_from(client, "13812345678", ["198.51.100.1"])
    page = sign_in(client, "13812345678", PASSWORD, HOME).content.decode()

    again = sign_in(client, "13812345678", PASSWORD, HOME, **solve(page, answer="十五五"))
    html = again.content.decode()

    assert again.status_code == 200 and not signed_in(client)
    assert "算术题答错了，请回答新的题目" in html
    assert solve(html)["captcha_token"] != solve(page)["captcha_token"]
    # The login typed is kept; the password is typed again.
    assert 'value="13812345678"' in html
    response = sign_in(client, "13812345678", PASSWORD, HOME, **solve(html))
    assert response.status_code == 302


def test_an_unknown_account_behaves_exactly_like_a_real_one(client):
    UserFactory(email="real@example.org")
    fail_from(client, "real@example.org", ["198.51.100.1"])
    fail_from(client, "nobody@example.org", ["198.51.100.1"])

    real = sign_in(client, "real@example.org", "wrong", "198.51.100.1").content.decode()
    unknown = sign_in(client, "nobody@example.org", "wrong", "198.51.100.1").content.decode()

    assert "登录失败次数过多" in real and "登录失败次数过多" in unknown


def test_one_address_trying_many_accounts_gets_a_captcha(client):
    UserFactory(email="target@example.org")
    for i in range(10):
        sign_in(client, f"guess{i}@example.org", "wrong", "198.51.100.1")

    page = sign_in(client, "target@example.org", PASSWORD, "198.51.100.1").content.decode()

    assert has_captcha(page) and not signed_in(client)
    # Others are unaffected.
    assert sign_in(client, "target@example.org", PASSWORD, HOME).status_code == 302


def test_the_sign_in_page_shows_the_captcha_at_once_to_an_address_trying_many_accounts(client):
    for i in range(10):
        sign_in(client, f"guess{i}@example.org", "wrong", "198.51.100.1")

    page = client.get("/accounts/login/", REMOTE_ADDR="198.51.100.1").content.decode()

    assert has_captcha(page)
    assert not has_captcha(client.get("/accounts/login/", REMOTE_ADDR=HOME).content.decode())


def test_a_code_sign_in_teaches_the_lockout_the_owners_address(client, sms_outbox):
    PhoneUserFactory(phone=PHONE)
    client.post("/accounts/login/code/", {"phone": "13812345678"}, REMOTE_ADDR=HOME)
    client.post("/accounts/login/code/confirm/", {"code": last_code(PHONE)}, REMOTE_ADDR=HOME)
    assert signed_in(client)
    client.logout()
    fail_from(client, "13812345678", ["198.51.100.1", "198.51.100.2", "198.51.100.3"])

    response = attempt(client, "13812345678", PASSWORD, HOME)

    assert response.status_code == 302 and signed_in(client)


def test_parallel_guesses_from_one_address_check_no_more_passwords_than_the_limit(rf):
    request = rf.post("/accounts/login/", REMOTE_ADDR="198.51.100.1")
    barrier = threading.Barrier(12)

    def guess(_):
        barrier.wait()
        return not policy.begin_attempt(request, "user:1").locked

    with ThreadPoolExecutor(max_workers=12) as pool:
        let_through = sum(pool.map(guess, range(12)))

    assert let_through == 3
    assert policy.assess(request, "user:1").locked


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_a_login_with_a_nul_byte_is_refused_not_a_server_error(client, path):
    # Found by the generative tests (tests/fuzz/): the lockout looked the login up in
    # PostgreSQL, which cannot hold a NUL byte (a 500 before the form said anything).
    field = "login" if path.startswith("/accounts") else "username"
    response = client.post(path, {field: "admin\x00", "password": "x"}, REMOTE_ADDR=HOME)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
