"""Who may see an entry publicly (DESIGN.md rule 8): the one rule every public page uses.

An entry appears on a public page (results, exhibition, work pages, vote pages, share cards,
search, its video and images) only when it is submitted and

- its author agreed on the entry (`Entry.display_consent`), and
- if the author is under `KEPU_GUARDIAN_CONSENT_AGE` today (by birth year and month,
  counted as accounts.age does; with no birth month, if the account needed a guardian),
  the latest guardian display record (`GuardianConsent`, scope "display") is an agreement.

What is then shown: the work, its title and description, entry number, group, school,
grade and awards. Never the author's name, contact, teacher or co-authors (the consent text
in templates/accounts/includes/display_consent_text.html says exactly this).

A withdrawal is a newer "refuse" record, so the work leaves every public page at the next
request (accounts.consent invalidates the anonymous page cache).
"""

from datetime import date

from django.conf import settings
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from accounts.consent import display_consent_granted, needs_guardian_for_display
from accounts.models import GuardianConsent, User
from kepu.days import local_day


def first_adult_birth_month(today: date) -> int:
    """As year * 12 + month: people born in this month or later are under the consent age
    today (the same count as accounts.age.needs_guardian_consent)."""
    return today.year * 12 + today.month - 12 * settings.KEPU_GUARDIAN_CONSENT_AGE


def displayable(entries: QuerySet, today: date | None = None) -> QuerySet:
    """Only the publicly displayable entries of `entries` (a queryset of Entry; see the module
    docstring)."""
    today = today or local_day()
    latest_display = GuardianConsent.objects.filter(
        child=OuterRef("author_id"), scope=GuardianConsent.Scope.DISPLAY
    ).order_by("-decided_at", "-pk")
    entries = entries.alias(
        _author_birth=F("author__birth_year") * 12 + F("author__birth_month"),
        _guardian_display=Subquery(latest_display.values("decision")[:1]),
    )
    # The queryset's own model: this module sits below models/entries.py, which uses it.
    own_agreement = Q(status=entries.model.Status.SUBMITTED, display_consent=True)
    # Written without negation: SQL NULLs make "not a child" treacherous.
    no_guardian_needed = Q(_author_birth__lt=first_adult_birth_month(today)) | Q(
        _author_birth__isnull=True, author__consent_status=User.ConsentStatus.NOT_REQUIRED
    )
    guardian_agreed = Q(_guardian_display=GuardianConsent.Decision.AGREE)
    return entries.filter(own_agreement & (no_guardian_needed | guardian_agreed))


def entry_is_displayable(entry, today: date | None = None) -> bool:
    """Whether `entry` may appear publicly (the same rule as `displayable`)."""
    if entry.status != entry.Status.SUBMITTED or not entry.display_consent:
        return False
    author = entry.author
    if not needs_guardian_for_display(author, today):
        return True
    return display_consent_granted(author)
