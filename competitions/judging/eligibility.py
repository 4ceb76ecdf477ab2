"""Which entries a round judges."""

from django.db.models import QuerySet

from competitions.submissions.eligibility import competing
from competitions.submissions.models import Entry

from .models import EntryResult, JudgingRound


def eligible_entries(round: JudgingRound) -> QuerySet[Entry]:
    """Round 1: every submitted entry of the contest that was not ruled out
    (submissions/eligibility.py). Later rounds: those that advanced in the round before
    (EntryResult.advanced), so the set is whatever the last aggregation of that round
    decided."""
    entries = competing(Entry.objects.filter(contest_id=round.contest_id))
    previous = round.previous()
    if previous is not None:
        advanced = EntryResult.objects.filter(round=previous, advanced=True).values("entry_id")
        entries = entries.filter(pk__in=advanced)
    return entries.order_by("number", "pk")
