from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.age import (
    age_in_years,
    needs_guardian_consent,
    validate_birth_month,
)

pytestmark = pytest.mark.sqlite


def test_age_counts_completed_years():
    today = date(2026, 5, 10)

    assert age_in_years(2012, 4, today) == 14
    assert age_in_years(2012, 6, today) == 13


def test_during_the_birth_month_a_person_still_has_the_younger_age():
    # The day is unknown, so the safe assumption is that the birthday has not come yet.
    assert age_in_years(2012, 5, date(2026, 5, 31)) == 13
    assert needs_guardian_consent(2012, 5, date(2026, 5, 31))


def test_fourteen_year_olds_need_no_guardian(settings):
    settings.KEPU_GUARDIAN_CONSENT_AGE = 14

    assert not needs_guardian_consent(2012, 4, date(2026, 5, 10))
    assert needs_guardian_consent(2012, 6, date(2026, 5, 10))


def test_a_baby_born_this_month_is_zero():
    assert age_in_years(2026, 5, date(2026, 5, 1)) == 0


@pytest.mark.parametrize(
    ("year", "month", "code"),
    [
        (2026, 6, "future"),
        (2027, 1, "future"),
        (2012, 13, "invalid_month"),
        (2012, 0, "invalid_month"),
        (1899, 5, "invalid_year"),
        (-5, 5, "invalid_year"),
    ],
)
def test_impossible_birth_months_are_refused(year, month, code):
    with pytest.raises(ValidationError) as error:
        validate_birth_month(year, month, date(2026, 5, 10))
    assert error.value.code == code


def test_the_current_month_is_a_valid_birth_month():
    validate_birth_month(2026, 5, date(2026, 5, 10))
