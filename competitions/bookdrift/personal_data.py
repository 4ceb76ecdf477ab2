"""The drift's part of a person's data export and account deletion (DESIGN.md rule 8).

Export: the steps they wrote (with their notes), their donations, reviews written from the
drift, awards (with the certificate's code and printed name), reminders and notices.
Deletion: their steps stay in the copies' journeys —
other readers' journeys must not break — but lose everything that was theirs (name link,
notes, places, nickname); the key that stops a reader catching a copy twice in a row is
replaced by a random one, the same for all their steps, so the journey's rules still hold.
Pending donations are deleted; approved donated copies stay in the drift without a donor.
"""

import secrets

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.deletion import register_deleter
from accounts.exports import ExportSection, register_exporter
from competitions.core.certificates.names import name_to_print

from . import certificates, page_cache
from .models import (
    BookCopy,
    BookReview,
    DriftAward,
    DriftCertificate,
    DriftReminder,
    JourneyStep,
    ReaderNotice,
)


def _when(moment):
    return timezone.localtime(moment).isoformat() if moment else None


@register_exporter
def export_drift(user) -> ExportSection | None:
    """The reader's drift data for their export (None when they have none)."""
    steps = list(
        JourneyStep.objects.filter(reader=user)
        .select_related("copy__book", "copy__campaign", "station", "school", "school_class")
        .order_by("created_at")
    )
    donations = list(
        BookCopy.objects.filter(donor=user).select_related("book", "campaign").order_by("pk")
    )
    reviews = list(BookReview.objects.filter(entry__author=user).select_related("book", "entry"))
    awards = list(DriftAward.objects.filter(person=user).select_related("campaign", "certificate"))
    notices = list(ReaderNotice.objects.filter(reader=user).order_by("created_at"))
    reminders = list(DriftReminder.objects.filter(reader=user).select_related("copy__book"))
    if not any([steps, donations, reviews, awards, notices, reminders]):
        return None
    return ExportSection(
        "book_drift",
        {
            "journey_steps": [
                {
                    "campaign": step.copy.campaign.title,
                    "book": step.copy.book.title,
                    "copy_code": step.copy.display_code,
                    "step": step.get_kind_display(),
                    "when": _when(step.created_at),
                    "station": step.station.name if step.station_id else "",
                    "school": step.school.name if step.school_id else "",
                    "class": step.school_class.name if step.school_class_id else "",
                    "place": step.place_text,
                    "note": step.note,
                    "note_status": step.get_text_status_display(),
                    "show_my_name": step.show_identity,
                }
                for step in steps
            ],
            "donations": [
                {
                    "campaign": copy.campaign.title,
                    "book": copy.book.title,
                    "copy_code": copy.display_code,
                    "approval": copy.get_approval_display(),
                    "note": copy.donor_note,
                    "registered": _when(copy.created_at),
                }
                for copy in donations
            ],
            "reviews": [
                {"book": review.book.title, "entry_number": review.entry.display_number}
                for review in reviews
            ],
            "awards": [
                {
                    "campaign": award.campaign.title,
                    "award": award.get_kind_display(),
                    "place": award.rank,
                    **_certificate(award),
                }
                for award in awards
            ],
            "reminders": [
                {
                    "book": r.copy.book.title,
                    "when": _when(r.created_at),
                    "how": r.get_channel_display(),
                }
                for r in reminders
            ],
            "notices": [{"text": n.text, "when": _when(n.created_at)} for n in notices],
        },
    )


def _certificate(award) -> dict:
    certificate = getattr(award, "certificate", None)
    if certificate is None:
        return {}
    return {
        "certificate_code": certificate.display_code,
        "name_printed": name_to_print(certificate, award.person),
    }


@register_deleter
def delete_drift(user) -> None:
    """Detaches the reader from journeys and deletes their pending donations (module docstring)."""
    old_key = f"u:{user.pk}"
    new_key = f"x:{secrets.token_hex(8)}"
    JourneyStep.objects.filter(reader=user).update(
        reader=None,
        reader_key=new_key,
        nickname="",
        note="",
        place_text="",
        text_status=JourneyStep.TextStatus.NONE,
        show_identity=False,
    )
    JourneyStep.objects.filter(previous_catcher_key=old_key).update(previous_catcher_key=new_key)
    BookCopy.objects.filter(holder_key=old_key).update(holder_key=new_key, holder=None)
    BookCopy.objects.filter(last_catcher_key=old_key).update(last_catcher_key=new_key)
    BookCopy.objects.filter(donor=user, approval=BookCopy.Approval.PENDING).delete()
    # The awards and their certificates go with the account; so do their drawn images.
    drawn = DriftCertificate.objects.filter(award__person=user).select_related("award__person")
    cache.delete_many(
        [key for certificate in drawn for key in certificates.KIND.cache_keys(certificate)]
    )
    transaction.on_commit(page_cache.everything_changed)
