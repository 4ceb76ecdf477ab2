import datetime
import io

import pytest
from django.core.cache import cache
from django.utils import timezone
from PIL import Image

from competitions.voting import captcha
from tests.factories.voting import VoterFactory

pytestmark = pytest.mark.django_db


def answer_of(token: str) -> str:
    challenge_id = captcha._challenge_id(token)
    return cache.get(captcha._key(challenge_id))["answer"]


def test_the_right_answer_passes_once():
    token = captcha.new_challenge()
    answer = answer_of(token)

    assert captcha.check(token, answer)
    assert not captcha.check(token, answer)


def test_a_wrong_answer_uses_the_challenge_up():
    token = captcha.new_challenge()
    answer = answer_of(token)

    assert not captcha.check(token, str(int(answer) + 1))
    assert not captcha.check(token, answer)


def test_full_width_digits_are_accepted():
    token = captcha.new_challenge()
    answer = answer_of(token).translate(str.maketrans("0123456789", "０１２３４５６７８９"))

    assert captcha.check(token, f" {answer} ")


@pytest.mark.parametrize("given", ["十五", "15。", "7\x00", "²"])
def test_an_answer_in_other_characters_is_simply_wrong(given):
    # Found by the generative tests (tests/fuzz/): compare_digest refused non-ASCII str (500).
    assert not captcha.check(captcha.new_challenge(), given)


def test_forged_and_expired_tokens_fail(settings):
    assert not captcha.check("forged:token", "3")
    token = captcha.new_challenge()
    cache.clear()  # expired, or the cache vanished
    assert not captcha.check(token, "3")
    assert captcha.image_png(token) is None


def test_the_challenge_is_drawn_as_an_image():
    image = Image.open(io.BytesIO(captcha.image_png(captcha.new_challenge())))

    assert image.format == "PNG" and image.size == captcha.SIZE


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
