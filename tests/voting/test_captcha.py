import datetime

import pytest
from django.utils import timezone

from competitions.voting import captcha
from tests.factories.voting import VoterFactory

pytestmark = pytest.mark.django_db


def test_brand_new_accounts_need_a_captcha():
    fresh = VoterFactory(date_joined=timezone.now() - datetime.timedelta(hours=2))

    assert captcha.captcha_required(fresh, "203.0.113.9")
    assert not captcha.captcha_required(VoterFactory(), "203.0.113.9")


def test_a_fast_ip_address_or_account_needs_a_captcha(settings):
    settings.KEPU_VOTING_CAPTCHA_IP_VOTES = 3
    settings.KEPU_VOTING_CAPTCHA_USER_VOTES = 2
    voter, other = VoterFactory(), VoterFactory()
    captcha.note_vote(voter.pk, "203.0.113.9")
    assert not captcha.captcha_required(voter, "203.0.113.9")
    captcha.note_vote(voter.pk, "203.0.113.9")
    assert captcha.captcha_required(voter, "198.51.100.1")  # the account
    captcha.note_vote(other.pk, "203.0.113.9")
    assert captcha.captcha_required(other, "203.0.113.9")  # the address
    assert not captcha.captcha_required(other, "198.51.100.1")
