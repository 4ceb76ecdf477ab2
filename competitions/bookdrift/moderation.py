"""Organisers approve or reject the texts readers wrote with a step (漂流纸条 and places)
before they are public, where privacy.py says so (minors and anonymous readers)."""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from competitions.core.text_checks import found_words

from . import page_cache
from .models import JourneyStep


def pending_texts(campaign=None) -> QuerySet[JourneyStep]:
    """Steps whose text waits for a decision, oldest first."""
    steps = JourneyStep.objects.filter(text_status=JourneyStep.TextStatus.PENDING)
    if campaign is not None:
        steps = steps.filter(copy__campaign=campaign)
    return steps.select_related("copy__book", "copy__campaign").order_by("created_at", "pk")


def flagged_words(step: JourneyStep) -> list[str]:
    """Words of the organisers' list in the step's texts (shown to help the decision; texts
    with them were refused at writing time, but the list may have grown since)."""
    return found_words(f"{step.note} {step.place_text}")


def decide(step_ids: list[int], *, approve: bool, by, now: datetime.datetime | None = None) -> int:
    """Approves or rejects the pending texts among `step_ids`; returns how many changed.

    Guarantees: only pending texts change (a decided one keeps its decision), in one
    transaction with who decided and when; the pages showing them are refreshed after
    commit.
    """
    now = now or timezone.now()
    status = JourneyStep.TextStatus.APPROVED if approve else JourneyStep.TextStatus.REJECTED
    with transaction.atomic():
        steps = list(
            JourneyStep.objects.select_for_update()
            .filter(pk__in=step_ids, text_status=JourneyStep.TextStatus.PENDING)
            .select_related("copy")
        )
        JourneyStep.objects.filter(pk__in=[s.pk for s in steps]).update(
            text_status=status, moderated_by=by, moderated_at=now
        )
        copies = {(s.copy_id, s.copy.book_id, s.copy.campaign_id) for s in steps}
        transaction.on_commit(lambda: [page_cache.copy_changed(*copy) for copy in copies])
    return len(steps)
