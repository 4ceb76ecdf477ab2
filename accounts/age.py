"""The age gate: birth year and month, ages computed on the local calendar (kepu/days.py).

Only the year and month are asked (DESIGN.md rule 8: collect minimally), so a birthday
inside the current month is unknown. Ages are counted as if the birthday fell at the end
of the birth month: during that month a person still has their previous age. When in
doubt, someone is treated as younger, never older, so the guardian rule errs on the safe side.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kepu.days import local_day

OLDEST_AGE = 120


def age_in_years(birth_year: int, birth_month: int, today: date | None = None) -> int:
    """Completed years of age, counting the birthday at the end of the birth month."""
    today = today or local_day()
    months = (today.year * 12 + today.month) - (birth_year * 12 + birth_month)
    return max(months - 1, 0) // 12


def needs_guardian_consent(birth_year: int, birth_month: int, today: date | None = None) -> bool:
    """Whether someone born in that month is under `KEPU_GUARDIAN_CONSENT_AGE` today."""
    return age_in_years(birth_year, birth_month, today) < settings.KEPU_GUARDIAN_CONSENT_AGE


def validate_birth_month(birth_year: int, birth_month: int, today: date | None = None) -> None:
    """Raises ValidationError (messages in Chinese) for impossible or future birth months."""
    today = today or local_day()
    if not 1 <= birth_month <= 12:
        raise ValidationError(_("Choose a month between 1 and 12."), code="invalid_month")
    if birth_year < today.year - OLDEST_AGE:
        raise ValidationError(
            _("Enter the year you were born, for example 2010."), code="invalid_year"
        )
    if (birth_year, birth_month) > (today.year, today.month):
        raise ValidationError(
            _("Your birth month cannot be in the future. Please check the year and month."),
            code="future",
        )
