import pytest

from accounts.masking import mask_email, mask_name, mask_phone

pytestmark = pytest.mark.sqlite


def test_a_phone_number_shows_only_its_first_three_and_last_four_digits():
    assert mask_phone("+8613812345678") == "138****5678"


def test_a_name_shows_only_its_first_character():
    assert mask_name("张小明") == "张**"
    assert mask_name("李") == "*"


def test_an_email_address_keeps_only_its_first_letter_and_domain():
    assert mask_email("zhang.san@example.org") == "z***@example.org"


def test_missing_values_mask_to_nothing():
    assert mask_phone(None) == mask_name("") == mask_email(None) == ""
