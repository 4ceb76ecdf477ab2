import pytest
from django.core.exceptions import ValidationError

from competitions.bookdrift.isbn import normalise_isbn

pytestmark = pytest.mark.sqlite


def test_an_isbn_13_with_hyphens_is_stored_as_thirteen_digits():
    assert normalise_isbn("978-7-5322-4765-3") == "9787532247653"


def test_an_isbn_10_with_an_x_check_digit_becomes_its_isbn_13():
    assert normalise_isbn("0-8044-2957-X") == "9780804429573"


def test_full_width_digits_and_the_isbn_prefix_are_accepted():
    assert normalise_isbn("ISBN ９７８７５３２２４７６５３") == "9787532247653"


def test_a_wrong_check_digit_is_refused_saying_what_it_should_be():
    with pytest.raises(ValidationError) as raised:
        normalise_isbn("978-7-5322-4765-4")

    message = raised.value.messages[0]
    assert raised.value.code == "isbn_check_digit"
    assert "3" in message and "4" in message
    assert "校验位" in message


def test_a_wrong_isbn_10_check_digit_is_refused():
    with pytest.raises(ValidationError):
        normalise_isbn("0-8044-2957-1")


@pytest.mark.parametrize("value", ["12345", "978753224765", "97875322476531", "1237532247653"])
def test_numbers_that_are_no_isbn_are_refused_with_a_chinese_message(value):
    with pytest.raises(ValidationError) as raised:
        normalise_isbn(value)

    assert any("\u4e00" <= char <= "\u9fff" for char in raised.value.messages[0])


def test_an_empty_isbn_is_allowed():
    assert normalise_isbn("  ") == ""
