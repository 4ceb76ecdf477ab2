"""What the public may learn about a reader (DESIGN.md rule 8): the one rule the drift's
public pages use, built on the accounts app's display rule.

- A reader's name, school, class and typed-in place appear with a journey step only when
  they ticked "show my name and class" on that step and, if they are under 14
  (`accounts.consent.needs_guardian_for_display`), their guardian's latest display record
  is an agreement — the same rule as contest works (competitions/submissions/display.py).
- Anonymous catchers are treated as children: their nickname and place are never public.
- Everything readers write for others (drift notes, places, comments) is pre-moderated
  when the writer is a minor (under 18, or of unknown age) or anonymous.
- Stations are public places and are always shown; copy codes never appear on a page that
  lists several copies (knowing a code is what lets someone write a copy's journey).
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import OuterRef, Subquery

from accounts.consent import needs_guardian_for_display
from accounts.models import GuardianConsent, User
from competitions.core.text_checks import needs_premoderation
from kepu.days import local_day


def is_minor(user) -> bool:
    """Under 18 by the birth month, or of unknown age (anonymous, no birth month)."""
    return needs_premoderation(user)


def text_needs_approval(user) -> bool:
    """Whether what `user` (None: anonymous) writes waits for an organiser's approval."""
    return needs_premoderation(user)


def readers_who_may_be_named(user_ids: Iterable[int], today: date | None = None) -> set[int]:
    """Of `user_ids`, those whose identity may appear publicly when they agreed on the step:
    14 and over, or under 14 with the guardian's display consent. One query."""
    return set(display_names(user_ids, today))


def display_names(user_ids: Iterable[int], today: date | None = None) -> dict[int, str]:
    """{user id: display name} of the readers among `user_ids` who may be named (see
    `readers_who_may_be_named`); the name is "" for those who chose none. One query."""
    ids = {pk for pk in user_ids if pk}
    if not ids:
        return {}
    today = today or local_day()
    latest = GuardianConsent.objects.filter(
        child=OuterRef("pk"), scope=GuardianConsent.Scope.DISPLAY
    ).order_by("-decided_at", "-pk")
    users = (
        User.objects.filter(pk__in=ids)
        .only("pk", "birth_year", "birth_month", "consent_status", "display_name")
        .annotate(display_decision=Subquery(latest.values("decision")[:1]))
    )
    return {
        user.pk: user.display_name
        for user in users
        if not needs_guardian_for_display(user, today)
        or user.display_decision == GuardianConsent.Decision.AGREE
    }


def may_be_named(user, today: date | None = None) -> bool:
    """`readers_who_may_be_named` for one reader."""
    return bool(user) and user.pk in readers_who_may_be_named([user.pk], today)
