import pytest
from django.db import IntegrityError

from competitions.bookdrift import codes
from tests.factories.bookdrift import CopyFactory

pytestmark = pytest.mark.sqlite


def test_the_alphabet_has_no_characters_that_are_confused_when_read_aloud():
    assert not set("0O1I") & set(codes.ALPHABET)
    assert len(set(codes.ALPHABET)) == 32


def test_new_codes_are_nine_characters_of_the_alphabet_and_pass_their_check():
    for _ in range(500):
        code = codes.generate()
        assert len(code) == 9
        assert set(code) <= set(codes.ALPHABET)
        assert codes.is_well_formed(code)


def test_fifty_thousand_new_codes_do_not_repeat():
    generated = [codes.generate() for _ in range(50_000)]

    assert len(set(generated)) == len(generated)


def test_every_single_mistyped_character_is_detected():
    code = codes.generate()
    for position in range(len(code)):
        for char in codes.ALPHABET:
            if char != code[position]:
                assert not codes.is_well_formed(code[:position] + char + code[position + 1 :])


def test_swapping_two_different_neighbours_is_almost_always_detected():
    caught = total = 0
    for _ in range(300):
        code = codes.generate()
        for i in range(len(code) - 1):
            if code[i] != code[i + 1]:
                total += 1
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
                caught += not codes.is_well_formed(swapped)
    assert caught / total > 0.95


def test_codes_are_accepted_however_they_are_typed():
    code = codes.generate()
    typed = " " + codes.display(code).lower().replace("-", " - ") + " "
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)

    assert codes.normalise(typed) == code
    assert codes.normalise(full_width) == code


def test_codes_print_in_groups_of_three():
    assert codes.display("K7RM2QXA9") == "K7R-M2Q-XA9"


def test_a_look_alike_character_or_a_swap_is_suggested_back_to_the_real_code():
    code = "ABC" + "DEF" + "GH"
    code = code[:8] + codes._check_character(code[:8])
    s_for_5 = code.replace("D", "0", 1)  # read 0 for D
    swapped = code[1] + code[0] + code[2:]

    assert code in codes.suggestions(s_for_5)
    assert code in codes.suggestions(swapped)
    assert codes.suggestions("SHORT") == []


@pytest.mark.django_db
def test_the_database_refuses_a_code_twice():
    copy = CopyFactory()

    with pytest.raises(IntegrityError):
        CopyFactory(code=copy.code)


@pytest.mark.django_db
def test_the_database_refuses_a_code_outside_the_alphabet():
    with pytest.raises(IntegrityError):
        CopyFactory(code="ABCDEF0O1")
