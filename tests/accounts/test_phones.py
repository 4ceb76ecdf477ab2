import pytest
from django.core.exceptions import ValidationError

from accounts.phones import PhoneField, national_number, normalize_phone, parse_phone

pytestmark = pytest.mark.sqlite


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+86-13812345678",
        "8613812345678",
        "008613812345678",
        "(+86) 138 1234 5678",
        " 13812345678 ",
    ],
)
def test_the_ways_people_type_a_mobile_number_are_normalised(typed):
    assert normalize_phone(typed) == "+8613812345678"


@pytest.mark.parametrize(
    "typed",
    ["", "12345", "12812345678", "1381234567", "138123456789", "+1 415 555 0100", "abc"],
)
def test_anything_but_a_mainland_mobile_number_is_refused(typed):
    assert parse_phone(typed) is None
    with pytest.raises(ValidationError) as error:
        normalize_phone(typed)
    assert error.value.code == "invalid_phone"


def test_the_national_number_drops_the_country_code():
    assert national_number("+8613812345678") == "13812345678"


def test_the_phone_field_cleans_to_the_stored_form():
    field = PhoneField(required=False)

    assert field.clean("139 0000 0001") == "+8613900000001"
    assert field.clean("") == ""
    assert field.widget.input_type == "tel"
