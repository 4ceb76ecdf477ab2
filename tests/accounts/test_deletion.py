"""Deleting an account: the rows that belong to it go, registered deleters run, sessions end."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib.sessions.models import Session
from django.test import Client

from accounts import deletion
from accounts.consent import request_guardian_consent
from accounts.deletion import delete_account, register_deleter
from accounts.models import (
    GuardianConsent,
    GuardianConsentRequest,
    LoginSession,
    Profile,
    User,
)
from tests.factories.users import GuardianConsentFactory, ProfileFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def extra_deleter():
    added = []

    def register(deleter):
        register_deleter(deleter)
        added.append(deleter)
        return deleter

    yield register
    for deleter in added:
        deletion._deleters.remove(deleter)


def an_account_with_everything():
    consent = GuardianConsentFactory()
    child = consent.child
    ProfileFactory(user=child)
    EmailAddress.objects.create(user=child, email="kid@example.org", verified=True, primary=True)
    app = SocialApp.objects.create(provider="weixin", name="WeChat", client_id="id", secret="s")
    account = SocialAccount.objects.create(user=child, provider="weixin", uid="openid")
    SocialToken.objects.create(app=app, account=account, token="t")
    child.consent_status = User.ConsentStatus.PENDING
    child.save()
    request_guardian_consent(child, "+8613700000002", build_link=lambda t: t)
    return child


def test_deleting_an_account_removes_every_row_that_belongs_to_it(
    django_capture_on_commit_callbacks,
):
    child = an_account_with_everything()
    bystander = GuardianConsentFactory()

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(child)

    assert not User.objects.filter(pk=child.pk).exists()
    assert not Profile.objects.filter(user_id=child.pk).exists()
    assert not GuardianConsent.objects.filter(child_id=child.pk).exists()
    assert not GuardianConsentRequest.objects.filter(child_id=child.pk).exists()
    assert not EmailAddress.objects.filter(user_id=child.pk).exists()
    assert not SocialAccount.objects.filter(user_id=child.pk).exists()
    assert not SocialToken.objects.exists()
    # Nobody else's data is touched.
    assert GuardianConsent.objects.filter(pk=bystander.pk).exists()


def test_deletion_ends_the_sessions_on_every_device(django_capture_on_commit_callbacks):
    user = UserFactory()
    phone, laptop = Client(), Client()
    phone.force_login(user)
    laptop.force_login(user)
    assert LoginSession.objects.filter(user=user).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user)

    assert not Session.objects.exists()
    assert not LoginSession.objects.exists()
    assert laptop.get("/me/").status_code == 302


def test_registered_deleters_run_before_the_user_row_goes(extra_deleter):
    seen = []
    extra_deleter(lambda user: seen.append(User.objects.filter(pk=user.pk).exists()))
    user = UserFactory()

    delete_account(user)

    assert seen == [True]


def test_a_failing_deleter_deletes_nothing(extra_deleter):
    def broken(user):
        raise RuntimeError("search index unavailable")

    extra_deleter(broken)
    user = UserFactory()
    ProfileFactory(user=user)

    with pytest.raises(RuntimeError):
        delete_account(user)

    assert User.objects.filter(pk=user.pk).exists()
    assert Profile.objects.filter(user=user).exists()


def test_signing_out_forgets_the_session():
    user = UserFactory()
    client = Client()
    client.force_login(user)

    client.post("/accounts/logout/")

    assert not LoginSession.objects.exists()
