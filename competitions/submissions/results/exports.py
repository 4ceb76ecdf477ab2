"""Spreadsheet (.xlsx) exports of a contest for its organisers: entries, scores, votes, awards.

Like quiz exports, through the steps every export shares (competitions/core/exports/):
`request_export` records a ContestExport and the outbox builds it after the commit
(`build_export`, through the `submissions.build_contest_export` task); the file lands in
private storage and leaves it only through `file_for_download`, which checks permissions.
Cells are written as text by competitions/core/spreadsheets.py, so nothing typed by a
participant becomes a formula.

The judging and voting results come from the caller as ``scores`` ({entry_id: final expert
score}) and ``votes`` ({entry_id: valid votes}), the input of
competitions/submissions/results/awards.py; when the caller gives none, the figures registered in
sources.py (the judging and voting apps) are used, as when results are published.
Apps that depend on submissions add their own sheets with `register_sheets` (judging adds
every judge's points per criterion and the aggregated scores per round). Figures are numbers
in the workbook (competitions/core/spreadsheets.py), so organisers can sum and sort them.

Authors' names, phone numbers and e-mail addresses and the advising teachers' names are
masked, unless an organiser holding `submissions.export_personal_data` asks for them in full
(competitions/core/identity.py); the export row records who asked and when, and such
requests and every download are logged at WARNING.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from accounts.masking import mask_name
from competitions.core.exports.services import ExportLifecycle
from competitions.core.identity import identity
from competitions.core.spreadsheets import Sheet, xlsx_bytes

from ..models import Contest, ContestExport, Entry, EntryAward
from .awards import final_scores
from .sources import collect_scores, collect_votes

logger = logging.getLogger(__name__)

BUILD_TARGET = "submissions.build_contest_export"
CHANGE_CONTEST_PERMISSION = "submissions.change_contest"
PERSONAL_DATA_PERMISSION = "submissions.export_personal_data"

_sheet_sources: list[Callable] = []


def register_sheets(source: Callable) -> Callable:
    """`source(contest) -> list[Sheet]`: sheets added after the entries and scores sheets,
    in the order the sources were registered."""
    _sheet_sources.append(source)
    return source


def can_export(user) -> bool:
    """Those who may change contests may export them."""
    return bool(
        user.is_authenticated and user.is_active and user.has_perm(CHANGE_CONTEST_PERMISSION)
    )


def can_export_personal_data(user) -> bool:
    return can_export(user) and user.has_perm(PERSONAL_DATA_PERMISSION)


def can_download(export: ContestExport, user) -> bool:
    """Those who may export contests; a file with personal data only for those who may
    export personal data."""
    if export.personal_data:
        return can_export_personal_data(user)
    return can_export(user)


lifecycle = ExportLifecycle(
    ContestExport,
    owner="contest",
    build_target=BUILD_TARGET,
    may_download=can_download,
    logger=logger,
    noun="contest export",
)


def request_export(
    contest: Contest, user, scores=None, votes=None, *, personal_data: bool = False
) -> ContestExport:
    """Record an export request and queue its build through the outbox.

    Guarantees: PermissionDenied and nothing recorded unless `user` may change contests
    (and, for `personal_data`, holds `submissions.export_personal_data`); the build starts
    only after the surrounding transaction commits. Without `scores` or `votes`, the figures
    publishing would use are recorded (sources.py).
    """
    if not can_export(user) or (personal_data and not can_export_personal_data(user)):
        raise PermissionDenied
    if scores is None:
        scores = collect_scores(contest)
    if votes is None:
        votes = collect_votes(contest)
    results = {
        "scores": {str(key): float(value) for key, value in (scores or {}).items()},
        "votes": {str(key): int(value) for key, value in (votes or {}).items()},
    }
    return lifecycle.request(user, personal_data=personal_data, contest=contest, results=results)


def build_export(export_id: int) -> str:
    """Write the export's workbook to private storage and mark it ready; returns its status.

    Idempotent: a ready export is left alone; a missing row returns "missing". A failure
    marks the export failed and re-raises, so the outbox retries it.
    """
    return lifecycle.build(export_id, _write)


def delete_expired_exports(now: datetime | None = None) -> int:
    """Delete exports (rows and files) requested more than KEPU_CONTEST_EXPORT_KEEP_DAYS ago.

    Returns how many were deleted; safe to run repeatedly. A file of pupils' unmasked names
    and contacts never outlives its use (DESIGN.md rule 8).
    """
    return lifecycle.delete_expired(settings.KEPU_CONTEST_EXPORT_KEEP_DAYS, now)


def _write(export: ContestExport, storage) -> tuple[str, int]:
    sheets = workbook_sheets(export.contest, export.results, export.personal_data)
    name = storage.save(
        f"contest-exports/contest-{export.contest_id}-{export.pk}.xlsx",
        ContentFile(xlsx_bytes(sheets)),
    )
    return name, len(sheets[0].rows) - 1  # entries


def file_for_download(export: ContestExport, user) -> FieldFile:
    """The export's stored file, for a user who may download it (`can_download`).

    PermissionDenied for others; Http404 while it is not ready or its file is gone. Every
    download is logged (at WARNING when the file holds personal data).
    """
    return lifecycle.file_for_download(export, user)


def download_filename(export: ContestExport) -> str:
    """ "contest-12-20261130.xlsx" (the day it was asked for)."""
    return f"contest-{export.contest_id}-{export.created_at:%Y%m%d}.xlsx"


def workbook_sheets(contest: Contest, results: dict, personal_data: bool = False) -> list[Sheet]:
    """The entries; per entry its expert score, votes, final score and awards (as numbers);
    then the sheets of registered sources (register_sheets). Authors' names and contacts
    and teachers' names are masked unless `personal_data`."""
    scores = {int(key): value for key, value in (results.get("scores") or {}).items()}
    votes = {int(key): int(value) for key, value in (results.get("votes") or {}).items()}
    finals = final_scores(contest, scores, votes)
    entries = list(
        Entry.objects.filter(contest=contest)
        .exclude(status=Entry.Status.DRAFT)
        .select_related("group", "school", "author", "author__profile")
        .order_by("number")
    )
    awards: dict[int, list[str]] = {}
    for award in EntryAward.objects.filter(contest=contest).select_related("level"):
        awards.setdefault(award.entry_id, []).append(award.name)
    entry_rows = [
        [
            _("Entry number"),
            _("Title"),
            _("Group"),
            _("Kind"),
            _("Author"),
            _("Phone"),
            _("E-mail"),
            _("School"),
            _("Grade"),
            _("Advising teacher"),
            _("Status"),
            _("Submitted at"),
        ]
    ]
    for entry in entries:
        name, phone, email = identity(entry.author, personal_data)
        teacher = entry.teacher if personal_data else mask_name(entry.teacher)
        entry_rows.append(
            [
                entry.display_number,
                entry.title,
                entry.group.name,
                entry.get_kind_display(),
                name or entry.display_number,
                phone,
                email,
                entry.school.name if entry.school_id else "",
                entry.grade,
                teacher,
                entry.get_status_display(),
                entry.submitted_at,
            ]
        )
    score_rows = [
        [
            _("Entry number"),
            _("Group"),
            _("Expert score"),
            _("Votes"),
            _("Final score"),
            _("Awards"),
        ]
    ]
    for entry in entries:
        score_rows.append(
            [
                entry.display_number,
                entry.group.name,
                scores.get(entry.pk),
                votes.get(entry.pk, 0),
                finals.get(entry.pk),
                "、".join(awards.get(entry.pk, [])),
            ]
        )
    sheets = [
        Sheet(
            _("Entry list"),
            entry_rows,
            column_widths=[12, 30, 10, 10, 10, 16, 24, 24, 10, 12, 10, 18],
        ),
        Sheet(_("Scores and votes"), score_rows, column_widths=[12, 10, 12, 10, 12, 20]),
    ]
    for source in _sheet_sources:
        sheets.extend(source(contest))
    return sheets
