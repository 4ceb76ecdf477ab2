"""The age step: asked before sign-up, and once for accounts created without it."""

from datetime import date

import pytest

from accounts.models import User
from tests.factories.users import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("accounts.age.local_day", lambda now=None: date(2026, 5, 10))


def test_the_age_step_asks_only_for_year_and_month(client):
    page = client.get("/accounts/age/").content.decode()

    assert '<label for="id_birth_year">' in page
    assert '<label for="id_birth_month">' in page
    assert 'name="phone"' not in page and 'name="email"' not in page


def test_a_future_birth_month_is_refused_in_chinese(client, today):
    response = client.post("/accounts/age/", {"birth_year": "2026", "birth_month": "6"})

    assert response.status_code == 200
    assert "出生年月不能晚于当前月份" in response.content.decode()
    assert "kepu_signup_birth" not in client.session


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"birth_year": "1800", "birth_month": "3"}, "请输入正确的出生年份"),
        ({"birth_year": "二〇一二", "birth_month": "3"}, "请用数字填写出生年份"),
        ({"birth_year": "2012", "birth_month": "13"}, "请从列表中选择一项"),
        ({"birth_year": "", "birth_month": ""}, "请填写出生年份"),
        ({"birth_year": "2012", "birth_month": ""}, "请选择出生月份"),
    ],
)
def test_invalid_birth_months_are_refused_in_chinese(client, data, message):
    response = client.post("/accounts/age/", data)

    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_next_address_must_stay_on_this_site(client):
    response = client.post(
        "/accounts/age/?next=https://evil.example/", {"birth_year": "1990", "birth_month": "1"}
    )

    assert response["Location"] == "/accounts/signup/"


def test_a_signed_in_account_without_an_age_stores_it_once(client):
    user = UserFactory(birth_year=None, birth_month=None)
    client.force_login(user)

    response = client.post("/accounts/age/?next=/me/", {"birth_year": "1990", "birth_month": "6"})

    assert response["Location"] == "/me/"
    user.refresh_from_db()
    assert (user.birth_year, user.birth_month) == (1990, 6)
    assert user.consent_status == User.ConsentStatus.NOT_REQUIRED
    # Once stored, the age step is closed: nobody ages themselves out of guardian consent.
    assert client.get("/accounts/age/")["Location"] == "/me/"


def test_a_wechat_child_must_wait_for_a_guardian_after_the_age_step(client, today):
    user = UserFactory(birth_year=None, birth_month=None)
    client.force_login(user)

    response = client.post("/accounts/age/", {"birth_year": "2016", "birth_month": "2"})

    assert response["Location"] == "/me/guardian/"
    user.refresh_from_db()
    assert user.consent_status == User.ConsentStatus.PENDING
