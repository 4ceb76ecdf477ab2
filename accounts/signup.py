"""The age step that comes before sign-up: the birth month kept in the session until then.

Nothing is written to the database before the account exists; the birth month waits in
the session for at most `SIGNUP_BIRTH_MAX_AGE` and is applied to the new user once.
"""

import time

from django.db import transaction
from django.http import HttpRequest

from .age import needs_guardian_consent, validate_birth_month
from .models import User

SESSION_KEY = "kepu_signup_birth"
SIGNUP_BIRTH_MAX_AGE = 2 * 3600


def remember_birth_month(request: HttpRequest, birth_year: int, birth_month: int) -> None:
    """Keeps a validated birth month in the session for the sign-up that follows."""
    validate_birth_month(birth_year, birth_month)
    request.session[SESSION_KEY] = {
        "year": birth_year,
        "month": birth_month,
        "at": int(time.time()),
    }


def remembered_birth_month(request: HttpRequest) -> tuple[int, int] | None:
    value = request.session.get(SESSION_KEY)
    if not isinstance(value, dict):
        return None
    try:
        year, month, at = int(value["year"]), int(value["month"]), int(value["at"])
    except (KeyError, TypeError, ValueError):
        return None
    if time.time() - at > SIGNUP_BIRTH_MAX_AGE:
        return None
    return year, month


def apply_birth_month(user: User, birth_year: int, birth_month: int) -> None:
    """Sets the birth month and, from it, whether a guardian must consent (not saved)."""
    user.birth_year = birth_year
    user.birth_month = birth_month
    user.consent_status = (
        User.ConsentStatus.PENDING
        if needs_guardian_consent(birth_year, birth_month)
        else User.ConsentStatus.NOT_REQUIRED
    )


def take_birth_month_for_signup(request: HttpRequest, user: User) -> None:
    """Applies the session's birth month to a user being created and forgets it.

    A browser shared by a family must not carry one person's age into the next sign-up.
    """
    remembered = remembered_birth_month(request)
    request.session.pop(SESSION_KEY, None)
    if remembered is not None:
        apply_birth_month(user, *remembered)


def record_birth_month(user: User, birth_year: int, birth_month: int) -> User:
    """Stores the birth month of an account created without the age step (WeChat, staff).

    Guarantees: validated; set once only (an age already on file is never replaced, so
    nobody can age themselves out of guardian consent); an under-14 account becomes
    pending consent in the same write.
    """
    validate_birth_month(birth_year, birth_month)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.has_birth_month:
            return locked
        apply_birth_month(locked, birth_year, birth_month)
        locked.save(update_fields=["birth_year", "birth_month", "consent_status"])
    user.birth_year, user.birth_month = locked.birth_year, locked.birth_month
    user.consent_status = locked.consent_status
    return locked
