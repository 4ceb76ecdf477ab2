"""Spreadsheet (.xlsx) exports of a quiz's attempts and participants for its organisers.

An organiser asks for an export (`request_export`); a QuizExport row records the request and
the outbox hands `build_export` to Celery after the commit. The worker streams the rows from
the database in chunks into openpyxl's write-only workbook (constant memory, whatever the
number of attempts) and stores the file in private storage. The file leaves it only through
`file_for_download`, which checks permissions. Exports are deleted after
KEPU_QUIZ_EXPORT_KEEP_DAYS days (`delete_expired_exports`, a periodic task). These steps
are those of every export (competitions/core/exports/); this module says what a quiz's
files hold and who may have them.

Personal data is masked (张**, 138****5678, z***@example.org) unless the organiser holds
the `quizzes.export_personal_data` permission and asks for it; such exports are logged at
WARNING, all others at INFO, as is every download.
"""

import logging
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db.models import Count, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from accounts.models import User
from competitions.core.exports.downloads import filename_part
from competitions.core.exports.services import ExportLifecycle
from competitions.core.identity import identity
from kepu.days import local_day, local_zone

from ..models import Quiz, QuizAttempt, QuizExport
from .services import IS_FINISHED

logger = logging.getLogger(__name__)

BUILD_TARGET = "quizzes.build_export"
PERSONAL_DATA_PERMISSION = "quizzes.export_personal_data"
CHANGE_QUIZ_PERMISSION = "quizzes.change_quiz"
CHUNK_SIZE = 2000
# Excel shows at most 1,048,576 rows per sheet; longer exports continue on another sheet.
ROWS_PER_SHEET = 1_000_000


# --- permissions ----------------------------------------------------------------------------


def user_can_change_quiz(user, quiz: Quiz | None) -> bool:
    """Whether `user` may see the quiz's statistics and export it: those who may edit it.

    Quizzes are snippets with model-wide permissions, so `quiz` (None for "any quiz") does
    not change the answer today; callers pass it so per-quiz rules can come later.
    """
    return bool(user.is_authenticated and user.is_active and user.has_perm(CHANGE_QUIZ_PERMISSION))


def can_export_personal_data(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.has_perm(PERSONAL_DATA_PERMISSION)
    )


def can_download(export: QuizExport, user) -> bool:
    """The requester, or someone holding `quizzes.export_personal_data`, among those who may
    still change the quiz; an unmasked export needs that permission whoever downloads it.
    """
    if not user_can_change_quiz(user, export.quiz):
        return False
    personal = can_export_personal_data(user)
    if export.personal_data and not personal:
        return False
    return personal or export.requested_by_id == user.pk


def exports_visible_to(quiz: Quiz, user, limit: int = 20) -> QuerySet[QuizExport]:
    """The quiz's most recent exports that `user` may download (finished or not)."""
    exports = QuizExport.objects.filter(quiz=quiz).select_related("requested_by", "quiz")
    if not can_export_personal_data(user):
        exports = exports.filter(requested_by=user, personal_data=False)
    return exports.order_by("-created_at", "-pk")[:limit]


# --- requesting and downloading -------------------------------------------------------------


lifecycle = ExportLifecycle(
    QuizExport,
    owner="quiz",
    build_target=BUILD_TARGET,
    may_download=can_download,
    logger=logger,
    noun="quiz export",
    details=lambda export: {"kind": export.kind},
)


def request_export(quiz: Quiz, user, kind: str, *, personal_data: bool = False) -> QuizExport:
    """Record an export request (status pending) and queue its build through the outbox.

    Guarantees: PermissionDenied and nothing recorded unless `user` may change the quiz (and,
    for `personal_data`, holds `quizzes.export_personal_data`); ValueError for an unknown
    kind. The build starts only after the surrounding transaction commits.
    """
    if kind not in QuizExport.Kind.values:
        raise ValueError(f"unknown export kind {kind!r}")
    if not user_can_change_quiz(user, quiz):
        raise PermissionDenied
    if personal_data and not can_export_personal_data(user):
        raise PermissionDenied
    return lifecycle.request(user, personal_data=personal_data, quiz=quiz, kind=kind)


def file_for_download(export: QuizExport, user) -> FieldFile:
    """The export's stored file, for a user allowed to download it.

    PermissionDenied if `can_download` refuses; Http404 while it is not ready (or its file is
    gone). Every download is logged.
    """
    return lifecycle.file_for_download(export, user)


def download_filename(export: QuizExport) -> str:
    """ "防疫知识竞答-作答记录-20261130.xlsx" (the local day it was asked for)."""
    with translation.override(settings.LANGUAGE_CODE):
        label = str(QuizExport.Kind(export.kind).label)
    day = local_day(export.created_at).strftime("%Y%m%d")
    return f"{filename_part(export.quiz.title)}-{label}-{day}.xlsx"


# --- building -------------------------------------------------------------------------------


def build_export(export_id: int) -> str:
    """Write the export's spreadsheet to private storage and mark it ready; returns its status.

    Idempotent: a ready export is left alone, and if two deliveries build the same export at
    once the second file is discarded. A missing row (deleted meanwhile) returns "missing".
    A failure marks the export failed with the error and re-raises, so the outbox retries it.
    """
    return lifecycle.build(export_id, _write)


def _write(export: QuizExport, storage) -> tuple[str, int]:
    with tempfile.TemporaryFile() as handle:
        title, header, rows = _spreadsheet(export)
        count = write_xlsx(handle, title, header, rows)
        handle.seek(0)
        return storage.save(_storage_name(export), File(handle)), count


def write_xlsx(handle, title: str, header: list[str], rows: Iterable[list]) -> int:
    """Stream `rows` into a write-only workbook saved to the binary file `handle`.

    Returns the number of data rows. Memory stays flat whatever their number; every
    ROWS_PER_SHEET rows start a new sheet ("title (2)", …), each with the header. Text
    starting with "=" stays text (a participant cannot plant a formula).
    """
    workbook = Workbook(write_only=True)
    sheet = None
    count = in_sheet = sheets = 0
    for row in rows:
        if sheet is None or in_sheet == ROWS_PER_SHEET:
            sheets += 1
            sheet = _new_sheet(workbook, title, header, sheets)
            in_sheet = 0
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
        in_sheet += 1
    if sheet is None:
        _new_sheet(workbook, title, header, 1)
    workbook.save(handle)
    return count


def _new_sheet(workbook: Workbook, title: str, header: list[str], number: int):
    sheet = workbook.create_sheet(title if number == 1 else f"{title} ({number})")
    sheet.append(header)
    return sheet


def _cell(sheet, value):
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _storage_name(export: QuizExport) -> str:
    token = secrets.token_hex(8)
    return f"quiz-exports/quiz-{export.quiz_id}-{export.kind}-{export.pk}-{token}.xlsx"


def _spreadsheet(export: QuizExport) -> tuple[str, list[str], Iterator[list]]:
    title = str(QuizExport.Kind(export.kind).label)
    if export.kind == QuizExport.Kind.ATTEMPTS:
        return title, attempt_header(), attempt_rows(export.quiz, export.personal_data)
    return title, participant_header(), participant_rows(export.quiz, export.personal_data)


def attempt_header() -> list[str]:
    return [
        _("Attempt ID"),
        _("Participant code"),
        _("Name"),
        _("Phone"),
        _("E-mail"),
        _("Unit"),
        _("Quiz day"),
        _("Started at"),
        _("Submitted at"),
        _("Status"),
        _("Score"),
        _("Full marks"),
        _("Time taken (seconds)"),
        _("Flagged as too fast"),
        _("Times the page was left"),
        _("Times moved to another device"),
        _("Submitted automatically"),
    ]


def attempt_rows(quiz: Quiz, personal_data: bool) -> Iterator[list]:
    """One row per attempt of the quiz, oldest first, streamed in chunks of CHUNK_SIZE."""
    statuses = {value: str(label) for value, label in QuizAttempt.Status.choices}
    automatic = {value: str(label) for value, label in QuizAttempt.AutoSubmit.choices}
    attempts = (
        QuizAttempt.objects.filter(quiz=quiz)
        .select_related("user", "user__profile", "unit")
        .defer("paper", "answers", "verdicts")
        .order_by("pk")
    )
    for attempt in attempts.iterator(chunk_size=CHUNK_SIZE):
        yield [
            attempt.pk,
            participant_code(attempt.participant_key),
            *identity(attempt.user, personal_data),
            attempt.unit.name if attempt.unit else "",
            attempt.day,
            _local(attempt.started_at),
            _local(attempt.submitted_at),
            statuses[attempt.status],
            attempt.score,
            attempt.max_score,
            round(attempt.duration_ms / 1000, 1) if attempt.duration_ms is not None else None,
            _("Yes") if attempt.flagged_fast else "",
            attempt.page_leaves,
            attempt.device_switches,
            automatic.get(attempt.auto_submitted, ""),
        ]


def participant_header() -> list[str]:
    return [
        _("Participant code"),
        _("Name"),
        _("Phone"),
        _("E-mail"),
        _("Unit"),
        _("Attempts"),
        _("Finished attempts"),
        _("Best score"),
        _("First day"),
        _("Last day"),
    ]


def participant_rows(quiz: Quiz, personal_data: bool) -> Iterator[list]:
    """One row per participant: attempts, finished attempts, best finished score, first and
    last quiz day, and the unit of their latest attempt. Grouped in the database and streamed
    in chunks of CHUNK_SIZE; each chunk's users are read with one query.
    """
    latest_unit = Subquery(
        QuizAttempt.objects.filter(quiz=quiz, participant_key=OuterRef("participant_key"))
        .order_by("-started_at", "-pk")
        .values("unit__name")[:1]
    )
    groups = (
        QuizAttempt.objects.filter(quiz=quiz)
        .values("participant_key", "user_id")
        .annotate(
            attempts=Count("id"),
            finished=Count("id", filter=IS_FINISHED),
            best_score=Max("score", filter=IS_FINISHED),
            first_day=Min("day"),
            last_day=Max("day"),
        )
        .annotate(unit_name=latest_unit)
        .order_by("participant_key", "user_id")
    )
    for chunk in _chunks(groups.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        users = User.objects.select_related("profile").in_bulk(
            {row["user_id"] for row in chunk if row["user_id"] is not None}
        )
        for row in chunk:
            yield [
                participant_code(row["participant_key"]),
                *identity(users.get(row["user_id"]), personal_data),
                row["unit_name"] or "",
                row["attempts"],
                row["finished"],
                row["best_score"],
                row["first_day"],
                row["last_day"],
            ]


def participant_code(participant_key: str) -> str:
    """A stable pseudonym for a participant: the same in every export, revealing nothing.

    The salt is the module's former dotted path, kept so the codes stay the same."""
    return salted_hmac("competitions.quizzes.exports", participant_key).hexdigest()[:12]


def _local(moment: datetime | None) -> datetime | None:
    """Beijing time without a zone: Excel has no time zones."""
    return timezone.localtime(moment, local_zone()).replace(tzinfo=None) if moment else None


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- clean-up -------------------------------------------------------------------------------


def delete_expired_exports(now: datetime | None = None) -> int:
    """Delete exports (rows and files) requested more than KEPU_QUIZ_EXPORT_KEEP_DAYS ago.

    Returns how many were deleted. Safe to run repeatedly; a file already gone is ignored.
    """
    return lifecycle.delete_expired(settings.KEPU_QUIZ_EXPORT_KEEP_DAYS, now)
