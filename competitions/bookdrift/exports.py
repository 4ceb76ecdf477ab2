"""A campaign's .xlsx export for organisers: overview, copies, journey steps, schools and
classes, the three award rankings and the reminders.

Counts are real numbers in Excel (they sum and sort); codes and ISBNs stay text. Personal
data is masked as on every staff screen (DESIGN.md rule 8): readers appear as their masked
name and account number, anonymous readers as "anonymous"; notes are not exported (their
status is). Built in memory on request: a campaign's workbook is small.
"""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.masking import mask_name
from accounts.models import User
from competitions.core.spreadsheets import Sheet, xlsx_bytes

from . import awards, dashboard
from .models import BookCopy, DriftCampaign, DriftReminder, JourneyStep


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _person(user) -> str:
    if user is None:
        return ""
    name = mask_name(user.display_name) if user.display_name else ""
    return f"{name} #{user.pk}".strip()


def _overview(campaign: DriftCampaign, figures: dashboard.Figures) -> Sheet:
    rows = [
        [_("Figure"), _("Value")],
        [_("Copies in the drift"), figures.copies],
        [_("Being read"), figures.reading],
        [_("Passed on hand to hand"), figures.passed_on],
        [_("Waiting at stations"), figures.at_stations],
        [_("Registered, not yet released"), figures.registered],
        [_("Idle longer than the reading period"), figures.idle],
        [_("Lost"), figures.lost],
        [_("Donations waiting for approval"), figures.pending_donations],
        [_("Catches"), figures.catches],
        [_("Readers"), figures.readers],
        [_("Signed-in readers"), figures.signed_in_readers],
        [_("Readers per copy (average)"), figures.readers_per_copy],
        [_("Most readers of one copy"), figures.most_readers],
        [_("Schools reached"), len(figures.schools)],
        [_("Classes reached"), len(figures.classes)],
        [_("Reviews received"), figures.reviews],
        [_("Reminders sent"), figures.reminders],
    ]
    return Sheet(_("Overview"), rows, column_widths=[36, 14])


def _copies(campaign: DriftCampaign, now) -> Sheet:
    rows = [
        [
            _("Copy code"),
            _("Copy number"),
            _("Title"),
            _("ISBN"),
            _("State"),
            _("Station"),
            _("Readers"),
            _("Journey steps"),
            _("Last moved"),
            _("Days without moving"),
            _("Source"),
            _("Donor"),
        ]
    ]
    copies = (
        BookCopy.objects.filter(campaign=campaign)
        .select_related("book", "station", "donor")
        .order_by("number")
    )
    readers = dict(
        JourneyStep.objects.filter(copy__campaign=campaign, kind=JourneyStep.Kind.CATCH)
        .values("copy_id")
        .annotate(n=Count("reader_key", distinct=True))
        .values_list("copy_id", "n")
    )
    for copy in copies:
        rows.append(
            [
                copy.display_code,
                copy.number,
                copy.book.title,
                copy.book.isbn,
                copy.get_state_display(),
                copy.station.name if copy.station_id else "",
                readers.get(copy.pk, 0),
                copy.steps_count,
                _when(copy.moved_at),
                (now - copy.moved_at).days,
                copy.get_source_display(),
                _person(copy.donor),
            ]
        )
    return Sheet(
        _("Drift copies"), rows, column_widths=[14, 8, 28, 16, 16, 20, 8, 8, 18, 10, 16, 16]
    )


def _steps(campaign: DriftCampaign) -> Sheet:
    rows = [
        [
            _("Copy code"),
            _("Title"),
            _("Step"),
            _("When"),
            _("What"),
            _("Reader"),
            _("School"),
            _("Class"),
            _("Station"),
            _("Note"),
        ]
    ]
    steps = (
        JourneyStep.objects.filter(copy__campaign=campaign)
        .select_related("copy__book", "reader", "school", "school_class", "station")
        .order_by("created_at", "pk")
    )
    for step in steps.iterator(chunk_size=2000):
        if step.reader_id:
            reader = _person(step.reader)
        elif step.reader_key.startswith("a:"):
            reader = _("anonymous")
        else:
            reader = _("organisers")
        rows.append(
            [
                step.copy.display_code,
                step.copy.book.title,
                step.sequence,
                _when(step.created_at),
                step.get_kind_display(),
                reader,
                step.school.name if step.school_id else "",
                step.school_class.name if step.school_class_id else "",
                step.station.name if step.station_id else "",
                step.get_text_status_display() if step.text_status != "none" else "",
            ]
        )
    return Sheet(_("Journey steps"), rows, column_widths=[14, 28, 6, 18, 16, 16, 20, 14, 20, 14])


def _units(figures: dashboard.Figures) -> Sheet:
    rows = [[_("School"), _("Class"), _("Readers"), _("Catches")]]
    for school in figures.schools:
        rows.append([school["school__name"], "", school["readers"], school["catches"]])
    for school_class in figures.classes:
        rows.append(
            [
                school_class["school__name"],
                school_class["school_class__name"],
                school_class["readers"],
                school_class["catches"],
            ]
        )
    return Sheet(_("Schools and classes"), rows, column_widths=[28, 16, 10, 10])


def _ranking(campaign: DriftCampaign, kind: str) -> Sheet:
    ranked = awards.ranking(campaign, kind, places=100)
    if kind == awards.Kind.BEST_COPY:
        copies = BookCopy.objects.select_related("book").in_bulk([r.copy_id for r in ranked])
        rows = [[_("Place"), _("Copy code"), _("Title"), _("Readers"), _("Schools"), _("Catches")]]
        for row in ranked:
            copy = copies[row.copy_id]
            f = row.figures
            rows.append(
                [
                    row.rank,
                    copy.display_code,
                    copy.book.title,
                    f["readers"],
                    f["schools"],
                    f["catches"],
                ]
            )
    else:
        people = User.objects.in_bulk([r.person_id for r in ranked])
        if kind == awards.Kind.BEST_READER:
            rows = [[_("Place"), _("Reader"), _("Books read"), _("Passed on"), _("Reviews")]]
            keys = ["books_read", "passed_on", "reviews"]
        else:
            rows = [[_("Place"), _("Donor"), _("Books donated"), _("Readers reached")]]
            keys = ["donated", "readers"]
        for row in ranked:
            rows.append(
                [row.rank, _person(people.get(row.person_id)), *(row.figures[k] for k in keys)]
            )
    return Sheet(str(awards.Kind(kind).label)[:31], rows, column_widths=[6, 18, 28, 10, 10, 10])


def _reminders(campaign: DriftCampaign) -> Sheet:
    rows = [[_("When"), _("Copy code"), _("Title"), _("Reader"), _("How"), _("Status")]]
    for reminder in DriftReminder.objects.filter(copy__campaign=campaign).select_related(
        "copy__book", "reader"
    ):
        rows.append(
            [
                _when(reminder.created_at),
                reminder.copy.display_code,
                reminder.copy.book.title,
                _person(reminder.reader),
                reminder.get_channel_display(),
                reminder.get_status_display(),
            ]
        )
    return Sheet(_("Reminders"), rows, column_widths=[18, 14, 28, 16, 12, 16])


def campaign_workbook(campaign: DriftCampaign) -> bytes:
    """The campaign's export as .xlsx bytes (see the module docstring)."""
    now = timezone.now()
    figures = dashboard.figures(campaign, now)
    sheets = [
        _overview(campaign, figures),
        _copies(campaign, now),
        _steps(campaign),
        _units(figures),
        *(_ranking(campaign, kind) for kind in awards.Kind.values),
        _reminders(campaign),
    ]
    return xlsx_bytes(sheets)
