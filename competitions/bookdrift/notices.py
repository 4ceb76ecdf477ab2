"""Notices to readers: "your book travels on" after a catch (BookCrossing tells earlier
holders when their book is caught again)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import JourneyStep, ReaderNotice

# Earlier readers told about one catch: the most recent ones, so that a copy with a long
# journey does not write hundreds of notices per catch.
MAX_NOTIFIED = 30


def notify_previous_readers(step_id: int) -> int:
    """Writes a notice for each earlier signed-in reader of the step's copy (not the new
    catcher), at most MAX_NOTIFIED, newest readers first. Idempotent: run again (outbox
    redelivery) it writes nothing new (one notice per reader and step, a constraint).
    Returns how many notices it wrote."""
    step = (
        JourneyStep.objects.select_related("copy__book")
        .filter(pk=step_id, kind=JourneyStep.Kind.CATCH)
        .first()
    )
    if step is None:
        return 0
    earlier = (
        JourneyStep.objects.filter(
            copy_id=step.copy_id,
            sequence__lt=step.sequence,
            kind=JourneyStep.Kind.CATCH,
            reader__isnull=False,
        )
        .exclude(reader_id=step.reader_id)
        .order_by("-sequence")
        .values_list("reader_id", flat=True)
    )
    readers = list(dict.fromkeys(earlier))[:MAX_NOTIFIED]
    text = _(
        "The book you read, “%(title)s”, travels on: a new reader caught it (%(count)s steps "
        "so far)."
    ) % {"title": step.copy.book.title, "count": step.sequence}
    written = 0
    for reader_id in readers:
        try:
            with transaction.atomic():
                ReaderNotice.objects.create(
                    reader_id=reader_id,
                    kind=ReaderNotice.Kind.CAUGHT_AGAIN,
                    copy_id=step.copy_id,
                    step=step,
                    text=text,
                    created_at=step.created_at,
                )
            written += 1
        except IntegrityError:
            continue
    return written
