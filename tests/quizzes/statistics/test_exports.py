import datetime
import io
import logging
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import load_workbook

from competitions.core.spreadsheets import XLSX_CONTENT_TYPE
from competitions.quizzes.models import QuizAttempt, QuizExport
from competitions.quizzes.statistics import exports
from outbox import services as outbox_services
from outbox.models import OutboxMessage
from tests.factories.quizzes import QuizFactory, UnitFactory
from tests.factories.users import PhoneUserFactory, ProfileFactory
from tests.quizzes.stats_data import attempt_at, beijing, staff_with
from tests.storage import fetch

pytestmark = pytest.mark.django_db

FULL_PHONE = "+8613812345678"


@pytest.fixture
def quiz():
    return QuizFactory(title="防疫知识竞答")


@pytest.fixture
def zhang():
    user = PhoneUserFactory(phone=FULL_PHONE, email="zhang.san@example.org")
    ProfileFactory(user=user, real_name="张三丰")
    return user


@pytest.fixture
def attempts(quiz, zhang):
    school = UnitFactory(name="西湖小学")
    return [
        attempt_at(quiz, beijing(2026, 3, 10, 9, 10), score=5, unit=school, user=zhang,
                   participant_key=f"u:{zhang.pk}", day_number=1, total_number=1),
        attempt_at(quiz, beijing(2026, 3, 10, 23, 30), score=2, unit=UnitFactory(name="求是中学"),
                   user=zhang, participant_key=f"u:{zhang.pk}", day_number=2, total_number=2,
                   flagged_fast=True),
        attempt_at(quiz, beijing(2026, 3, 11, 10, 0), participant_key="a:cookie",
                   status=QuizAttempt.Status.IN_PROGRESS),
    ]  # fmt: skip


def excel_time(*parts) -> datetime.datetime:
    """A cell's date and time as openpyxl reads it back: Beijing time without a zone."""
    return datetime.datetime(*parts)  # noqa: DTZ001


def build(quiz, user, kind, django_capture_on_commit_callbacks, **kwargs) -> QuizExport:
    """Request an export and let the outbox run it (Celery is eager in tests)."""
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(quiz, user, kind, **kwargs)
    export.refresh_from_db()
    return export


def read(export) -> list[tuple]:
    with export.file.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()), read_only=True)
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_an_attempts_export_is_built_in_the_background_into_private_storage(
    quiz, attempts, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = exports.request_export(quiz, organiser, QuizExport.Kind.ATTEMPTS)
    # Recorded with the request, built only after the commit, through the outbox.
    assert export.status == QuizExport.Status.PENDING
    assert OutboxMessage.objects.get(target=exports.BUILD_TARGET).args == [export.pk]
    for callback in callbacks:
        callback()

    export.refresh_from_db()
    assert export.status == QuizExport.Status.READY
    assert export.row_count == 3
    path = Path(settings.KEPU_PRIVATE_MEDIA_ROOT) / export.file.name
    assert path.is_file() and path.suffix == ".xlsx"
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.xlsx"))


def test_attempt_rows_match_the_attempts_with_beijing_times(
    quiz, attempts, organiser, zhang, django_capture_on_commit_callbacks
):
    export = build(quiz, organiser, QuizExport.Kind.ATTEMPTS, django_capture_on_commit_callbacks)

    header, *rows = read(export)
    assert header == (
        "作答编号", "参与者编号", "姓名", "电话", "邮箱", "单位", "竞答日", "开始时间",
        "交卷时间", "状态", "得分", "满分", "用时（秒）", "疑似过快", "切屏次数", "换设备次数",
        "自动交卷",
    )  # fmt: skip
    first, second, third = rows
    code = exports.participant_code(f"u:{zhang.pk}")
    assert first == (
        attempts[0].pk, code, "张**", "138****5678", "z***@example.org", "西湖小学",
        excel_time(2026, 3, 10, 0, 0), excel_time(2026, 3, 10, 9, 10),
        excel_time(2026, 3, 10, 9, 13), "已交卷", 5, 5, 180, None, 0, 0, None,
    )  # fmt: skip
    # 23:30 Beijing time is written as such (Excel has no time zones), flagged.
    assert second[1] == code and second[5] == "求是中学"
    assert second[7] == excel_time(2026, 3, 10, 23, 30)
    assert second[13] == "是"
    # An anonymous participant in progress: no identity, no score yet.
    assert third[1] == exports.participant_code("a:cookie") != code
    assert third[2:5] == ("匿名", None, None)
    assert third[8:11] == (None, "作答中", None)


def test_attempt_rows_show_the_fair_play_counts(
    quiz, attempts, organiser, django_capture_on_commit_callbacks
):
    QuizAttempt.objects.filter(pk=attempts[1].pk).update(
        page_leaves=4, device_switches=1, auto_submitted="page_leaves"
    )
    export = build(quiz, organiser, QuizExport.Kind.ATTEMPTS, django_capture_on_commit_callbacks)

    _header, _first, second, _third = read(export)
    assert second[14:] == (4, 1, "切屏次数过多")


def test_exports_mask_personal_data_by_default(
    quiz, attempts, organiser, django_capture_on_commit_callbacks
):
    for kind in QuizExport.Kind.values:
        export = build(quiz, organiser, kind, django_capture_on_commit_callbacks)
        content = repr(read(export))

        assert "张**" in content and "138****5678" in content
        assert "张三丰" not in content
        assert "13812345678" not in content
        assert "zhang.san" not in content


def test_unmasked_exports_need_the_personal_data_permission(quiz, attempts, organiser):
    with pytest.raises(PermissionDenied):
        exports.request_export(quiz, organiser, QuizExport.Kind.ATTEMPTS, personal_data=True)

    assert not QuizExport.objects.exists()
    assert not OutboxMessage.objects.filter(target=exports.BUILD_TARGET).exists()


def test_an_unmasked_export_holds_full_personal_data_and_is_logged(
    quiz, attempts, privacy_officer, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.INFO, logger="competitions.quizzes.statistics.exports"):
        export = build(
            quiz,
            privacy_officer,
            QuizExport.Kind.ATTEMPTS,
            django_capture_on_commit_callbacks,
            personal_data=True,
        )

    assert read(export)[1][2:5] == ("张三丰", FULL_PHONE, "zhang.san@example.org")
    requested = [r for r in caplog.records if r.getMessage() == "quiz export requested"]
    assert len(requested) == 1
    assert requested[0].levelno == logging.WARNING
    assert (requested[0].personal_data, requested[0].user_id) == (True, privacy_officer.pk)


def test_a_participants_export_has_one_row_per_participant(
    quiz, attempts, organiser, zhang, django_capture_on_commit_callbacks
):
    export = build(
        quiz, organiser, QuizExport.Kind.PARTICIPANTS, django_capture_on_commit_callbacks
    )

    header, *rows = read(export)
    assert header == (
        "参与者编号", "姓名", "电话", "邮箱", "单位", "答题次数", "完成次数", "最高分",
        "首次参与日", "最近参与日",
    )  # fmt: skip
    by_code = {row[0]: row for row in rows}
    assert len(rows) == 2
    # The unit of the latest attempt; the best finished score.
    assert by_code[exports.participant_code(f"u:{zhang.pk}")][1:] == (
        "张**", "138****5678", "z***@example.org", "求是中学", 2, 2, 5,
        excel_time(2026, 3, 10), excel_time(2026, 3, 10),
    )  # fmt: skip
    assert by_code[exports.participant_code("a:cookie")][1:] == (
        "匿名", None, None, None, 1, 0, None,
        excel_time(2026, 3, 11), excel_time(2026, 3, 11),
    )  # fmt: skip


def test_a_name_that_looks_like_a_formula_stays_text(
    quiz, organiser, django_capture_on_commit_callbacks
):
    user = PhoneUserFactory(display_name='=HYPERLINK("http://evil.example","x")')
    attempt_at(quiz, beijing(2026, 3, 10, 9), user=user, participant_key=f"u:{user.pk}")

    export = build(quiz, organiser, QuizExport.Kind.ATTEMPTS, django_capture_on_commit_callbacks)

    path = Path(settings.KEPU_PRIVATE_MEDIA_ROOT) / export.file.name
    cell = load_workbook(path).worksheets[0]["C2"]
    assert cell.data_type == "s"
    assert cell.value.startswith("=")


def test_long_exports_continue_on_further_sheets(monkeypatch):
    monkeypatch.setattr(exports, "ROWS_PER_SHEET", 2)
    handle = io.BytesIO()

    count = exports.write_xlsx(handle, "作答记录", ["n"], ([n] for n in range(5)))

    workbook = load_workbook(io.BytesIO(handle.getvalue()), read_only=True)
    assert count == 5
    assert workbook.sheetnames == ["作答记录", "作答记录 (2)", "作答记录 (3)"]
    assert [list(sheet.values) for sheet in workbook.worksheets] == [
        [("n",), (0,), (1,)],
        [("n",), (2,), (3,)],
        [("n",), (4,)],
    ]


def test_building_twice_keeps_one_file(
    quiz, attempts, organiser, django_capture_on_commit_callbacks
):
    export = build(quiz, organiser, QuizExport.Kind.ATTEMPTS, django_capture_on_commit_callbacks)

    assert exports.build_export(export.pk) == QuizExport.Status.READY
    export_dir = Path(settings.KEPU_PRIVATE_MEDIA_ROOT) / "quiz-exports"
    assert [path.name for path in export_dir.iterdir()] == [Path(export.file.name).name]


def test_a_failed_build_is_recorded_and_retried(
    quiz, attempts, organiser, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(exports, "write_xlsx", broken)
    # The request itself never fails because of the build.
    export = build(quiz, organiser, QuizExport.Kind.ATTEMPTS, django_capture_on_commit_callbacks)
    assert export.status == QuizExport.Status.FAILED
    assert "disk full" in export.error
    message = OutboxMessage.objects.get(target=exports.BUILD_TARGET)
    assert message.completed_at is None and message.failed_at is None  # the relay retries
    monkeypatch.undo()

    assert outbox_services.run(message.pk) is True
    export.refresh_from_db()
    assert export.status == QuizExport.Status.READY


def test_exports_older_than_seven_days_are_deleted_with_their_files(
    quiz, attempts, organiser, django_capture_on_commit_callbacks
):
    old = build(quiz, organiser, QuizExport.Kind.ATTEMPTS, django_capture_on_commit_callbacks)
    recent = build(
        quiz, organiser, QuizExport.Kind.PARTICIPANTS, django_capture_on_commit_callbacks
    )
    QuizExport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    old_path = Path(settings.KEPU_PRIVATE_MEDIA_ROOT) / old.file.name

    assert exports.delete_expired_exports() == 1

    assert list(QuizExport.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not old_path.exists()
    assert (Path(settings.KEPU_PRIVATE_MEDIA_ROOT) / recent.file.name).exists()


def test_celery_beat_deletes_old_exports_every_hour():
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if "export" in e["task"]]

    assert {"task": "quizzes.delete_expired_exports", "schedule": 3600.0} in entries


# --- download -------------------------------------------------------------------------------


def download_url(export):
    return f"/admin/quiz-statistics/exports/{export.pk}/download/"


@pytest.fixture
def ready_export(quiz, attempts, organiser, django_capture_on_commit_callbacks):
    return build(quiz, organiser, QuizExport.Kind.ATTEMPTS, django_capture_on_commit_callbacks)


def test_the_requester_downloads_the_file_as_an_attachment(
    file_storage, client, ready_export, organiser, caplog
):
    client.force_login(organiser)

    with caplog.at_level(logging.INFO, logger="competitions.quizzes.statistics.exports"):
        response = fetch(client, download_url(ready_export))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert len(list(workbook.worksheets[0].values)) == 4
    downloads = [r for r in caplog.records if r.getMessage() == "quiz export downloaded"]
    assert [(r.export_id, r.user_id) for r in downloads] == [(ready_export.pk, organiser.pk)]


def test_other_staff_without_the_permission_cannot_download(client, ready_export):
    client.force_login(staff_with("quizzes.change_quiz"))

    response = client.get(download_url(ready_export))

    assert response.status_code == 403


def test_staff_with_the_personal_data_permission_can_download(
    client, ready_export, privacy_officer
):
    client.force_login(privacy_officer)

    assert client.get(download_url(ready_export)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, ready_export):
    response = client.get(download_url(ready_export))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_unmasked_export_needs_the_permission_at_download_time(
    client, quiz, attempts, privacy_officer, django_capture_on_commit_callbacks
):
    export = build(
        quiz,
        privacy_officer,
        QuizExport.Kind.ATTEMPTS,
        django_capture_on_commit_callbacks,
        personal_data=True,
    )
    privacy_officer.user_permissions.remove(
        privacy_officer.user_permissions.get(codename="export_personal_data")
    )
    client.force_login(privacy_officer)

    assert client.get(download_url(export)).status_code == 403


def test_an_export_not_ready_yet_is_not_found(client, quiz, organiser):
    export = QuizExport.objects.create(
        quiz=quiz, kind=QuizExport.Kind.ATTEMPTS, requested_by=organiser
    )
    client.force_login(organiser)

    assert client.get(download_url(export)).status_code == 404


# --- a real worker --------------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_export(file_storage, celery_worker, quiz, attempts):
    # Transactional tests lose the groups data migrations made; permissions come back.
    organiser = staff_with("quizzes.change_quiz")
    export = exports.request_export(quiz, organiser, QuizExport.Kind.PARTICIPANTS)

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if export.status in (QuizExport.Status.READY, QuizExport.Status.FAILED):
            break
        time.sleep(0.2)
    assert export.status == QuizExport.Status.READY, export.error
    assert len(read(export)) == 3
