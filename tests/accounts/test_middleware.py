"""PendingConsentMiddleware: accounts waiting for consent, or for the age step, stay put."""

import pytest

from accounts.models import User
from tests.factories.users import ChildFactory, StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

BLOCKED_PAGES = [
    "/",
    "/me/",
    "/search/?q=航天",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/phone/change/",
    "/accounts/age/",
    "/no-such-page/",
]


@pytest.fixture
def child_client(client):
    child = ChildFactory()
    client.force_login(child)
    client.child = child
    return client


@pytest.mark.parametrize("path", BLOCKED_PAGES)
def test_a_child_waiting_for_consent_is_sent_to_the_waiting_page(child_client, path):
    response = child_client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/me/guardian/"


def test_a_child_waiting_for_consent_cannot_post_elsewhere_either(child_client):
    response = child_client.post("/me/export/")

    assert response.status_code == 302
    assert response["Location"] == "/me/guardian/"
    assert "Content-Disposition" not in response


@pytest.mark.parametrize("path", ["/me/guardian/", "/me/delete/", "/accounts/logout/"])
def test_the_allowed_pages_still_open(child_client, path):
    assert child_client.get(path).status_code == 200


def test_a_waiting_child_can_sign_out(child_client):
    response = child_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in child_client.session


def test_health_and_static_files_are_untouched(child_client):
    assert child_client.get("/healthz").status_code == 200
    response = child_client.get("/static/css/site.css")
    assert response.get("Location") != "/me/guardian/"


def test_a_refused_child_sees_the_decision_and_the_way_to_delete(client):
    client.force_login(ChildFactory(consent_status=User.ConsentStatus.REFUSED))

    assert client.get("/me/")["Location"] == "/me/guardian/"
    page = client.get("/me/guardian/").content.decode()
    assert "你的监护人没有同意" in page
    assert 'href="/me/delete/"' in page
    assert 'name="phone"' not in page


def test_a_child_whose_guardian_agreed_uses_the_site(client):
    client.force_login(ChildFactory(consent_status=User.ConsentStatus.GRANTED))

    assert client.get("/me/").status_code == 200


def test_staff_are_unaffected(client):
    client.force_login(StaffFactory(consent_status=User.ConsentStatus.PENDING))

    assert client.get("/me/").status_code == 200


def test_an_account_without_a_birth_month_goes_to_the_age_step_first(client):
    client.force_login(UserFactory(birth_year=None, birth_month=None))

    response = client.get("/search/?q=x")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/age/?next=%2Fsearch%2F%3Fq%3Dx"


def test_anonymous_visitors_are_untouched(client):
    assert client.get("/accounts/login/").status_code == 200


def test_a_rate_limited_allauth_flow_gets_a_429_page_not_a_server_error(client):
    # Two sign-ups with one number within a minute: allauth's "verify_phone" limit raises
    # RateLimited from inside its sign-up flow.
    for _ in range(2):
        client.post("/accounts/age/", {"birth_year": "1990", "birth_month": "6"})
        response = client.post(
            "/accounts/signup/",
            {"phone": "13812345678", "password1": "x7!longpass", "password2": "x7!longpass"},
        )
        client.logout()

    assert response.status_code == 429
    assert "尝试次数过多" in response.content.decode()
