"""Ruling entries out of a contest, and back in (models/eligibility.py)."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Entry, Ineligibility


def competing(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """The submitted entries of `entries` that were not ruled out: what is judged, voted on
    and awarded."""
    return entries.filter(status=Entry.Status.SUBMITTED, ineligibility__isnull=True)


@transaction.atomic
def mark_ineligible(entries, reason: str, by=None) -> int:
    """Rules the submitted `entries` out with `reason`; returns how many were ruled out now.

    Idempotent: an entry ruled out before keeps its first decision. Drafts and withdrawn
    entries are not in the contest and are left alone. Judging drops unscored assignments
    of ruled-out entries (competitions/judging/signals.py).
    """
    now = timezone.now()
    already = set(
        Ineligibility.objects.filter(entry__in=entries).values_list("entry_id", flat=True)
    )
    new = [
        Ineligibility(entry=entry, reason=reason.strip(), decided_by=by, decided_at=now)
        for entry in entries
        if entry.pk not in already and entry.status == Entry.Status.SUBMITTED
    ]
    for ineligibility in new:
        ineligibility.save()
    return len(new)


@transaction.atomic
def restore_eligibility(entries) -> int:
    """Lets ruled-out `entries` compete again; returns how many were restored."""
    deleted, _ = Ineligibility.objects.filter(entry__in=entries).delete()
    return deleted
