"""A copy's journey as the public sees it: places, dates, approved notes, and readers'
names only where privacy.py allows them.

Built from one query for the steps (stations, schools and classes joined) and one for the
readers who may be named, whatever the number of steps shown.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from . import privacy
from .models import BookCopy, JourneyStep

RECENT_STEPS = 20
JOURNEY_PAGE_SIZE = 50


@dataclass(frozen=True)
class TimelineEntry:
    sequence: int
    kind: str
    when: datetime.datetime
    day: str  # "2026-03-05" in Beijing time, formatted once (not per template filter call)
    action: str
    reader: str
    place: str
    station: str
    note: str


def _steps(copy: BookCopy):
    return copy.steps.select_related("station", "school", "school_class").only(
        "copy_id",
        "sequence",
        "kind",
        "created_at",
        "reader_id",
        "show_identity",
        "place_text",
        "note",
        "text_status",
        "station__name",
        "school__name",
        "school_class__name",
        "school_class__school_id",
    )


def entries(steps: list[JourneyStep]) -> list[TimelineEntry]:
    """Public rows for `steps` (any order kept)."""
    readers = privacy.display_names(
        {step.reader_id for step in steps if step.show_identity and step.reader_id}
    )
    rows = []
    for step in steps:
        shown = step.show_identity and step.reader_id in readers
        approved = step.text_status == JourneyStep.TextStatus.APPROVED
        place = ""
        if shown:
            parts = []
            if step.school_class_id:
                parts.append(
                    f"{step.school.name if step.school_id else ''}{step.school_class.name}"
                )
            elif step.school_id:
                parts.append(step.school.name)
            if step.place_text and approved:
                parts.append(step.place_text)
            place = " · ".join(parts)
        when = timezone.localtime(step.created_at)
        rows.append(
            TimelineEntry(
                sequence=step.sequence,
                kind=step.kind,
                when=when,
                day=when.strftime("%Y-%m-%d"),
                action=_action(step),
                reader=readers.get(step.reader_id, "") if shown else "",
                place=place,
                station=step.station.name if step.station_id else "",
                note=step.note if approved else "",
            )
        )
    return rows


def _action(step: JourneyStep) -> str:
    if step.kind == JourneyStep.Kind.CATCH:
        return (
            _("caught it at %(station)s") % {"station": step.station.name}
            if (step.station_id)
            else _("caught it")
        )
    if step.kind == JourneyStep.Kind.RELEASE:
        if step.station_id:
            return _("released it at %(station)s") % {"station": step.station.name}
        return _("passed it on hand to hand")
    if step.kind == JourneyStep.Kind.PLACED:
        return _("The organisers put it at %(station)s") % {
            "station": step.station.name if step.station_id else ""
        }
    if step.kind == JourneyStep.Kind.LOST:
        return _("It was reported lost")
    return _("It left the drift")


def recent(copy: BookCopy, limit: int = RECENT_STEPS) -> list[TimelineEntry]:
    """The copy's latest `limit` steps, newest first."""
    return entries(list(_steps(copy).order_by("-sequence")[:limit]))


def page(copy: BookCopy, number: int, size: int = JOURNEY_PAGE_SIZE) -> list[TimelineEntry]:
    """Page `number` (from 1) of the whole journey, newest first."""
    newest = copy.steps_count - (number - 1) * size
    steps = _steps(copy).filter(sequence__lte=newest, sequence__gt=newest - size)
    return entries(list(steps.order_by("-sequence")))


def page_count(copy: BookCopy, size: int = JOURNEY_PAGE_SIZE) -> int:
    """How many journey pages the copy has (at least one)."""
    return max(1, -(-copy.steps_count // size))
