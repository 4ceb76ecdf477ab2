"""Contest exports: built through the outbox into private storage, with entries and scores."""

import datetime
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from competitions.submissions.models import ContestExport
from competitions.submissions.results import exports
from outbox import services as outbox_services
from outbox.models import OutboxMessage
from tests.factories.organisers import OrganiserFactory
from tests.factories.users import ProfileFactory, StaffFactory, UserFactory
from tests.submissions.results.helpers import published_contest

pytestmark = pytest.mark.django_db


def sheets(export) -> list[list[tuple]]:
    path = Path(settings.KEPU_PRIVATE_MEDIA_ROOT) / export.file.name
    workbook = load_workbook(path, read_only=True)
    return [[tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook]


def test_an_export_is_built_after_the_commit_with_entries_scores_votes_and_awards(
    django_capture_on_commit_callbacks,
):
    contest, entries, *_ = published_contest()
    organiser = StaffFactory()
    scores = {entries[0].pk: 95, entries[1].pk: 85}
    votes = {entries[0].pk: 3, entries[2].pk: 12}

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = exports.request_export(contest, organiser, scores, votes)
    assert export.status == ContestExport.Status.PENDING
    assert OutboxMessage.objects.get(target=exports.BUILD_TARGET).args == [export.pk]
    for callback in callbacks:
        callback()

    export.refresh_from_db()
    assert export.status == ContestExport.Status.READY
    assert export.row_count == 5
    entry_sheet, score_sheet = sheets(export)
    assert entry_sheet[0][0] == "作品编号"
    first = entry_sheet[1]
    assert first[0] == entries[0].display_number and first[1] == "作品1号读后感"
    assert "东城实验小学" in first
    # Names are masked.
    assert "李同学1" not in first and "李***" in first
    by_number = {row[0]: row for row in score_sheet[1:]}
    row = by_number[entries[0].display_number]
    # Figures are numbers Excel can sum and sort, not text.
    assert row[2:5] == (95, 3, 95)
    assert all(isinstance(value, int | float) for value in row[2:5])
    assert row[5] == "一等奖"
    assert by_number[entries[2].display_number][5] == "人气奖"
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.xlsx"))


def test_building_twice_changes_nothing(django_capture_on_commit_callbacks):
    contest, *_ = published_contest()
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(contest, StaffFactory())
    export.refresh_from_db()
    name = export.file.name

    assert exports.build_export(export.pk) == ContestExport.Status.READY
    export.refresh_from_db()
    assert export.file.name == name


def test_only_organisers_may_request_or_download(django_capture_on_commit_callbacks):
    contest, *_ = published_contest()
    with pytest.raises(PermissionDenied):
        exports.request_export(contest, UserFactory())
    assert not ContestExport.objects.exists()

    organiser = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(contest, organiser)
    export.refresh_from_db()
    with pytest.raises(PermissionDenied):
        exports.file_for_download(export, UserFactory())
    with exports.file_for_download(export, organiser).open("rb") as handle:
        assert handle.read(2) == b"PK"


def test_a_failed_build_is_recorded_and_the_outbox_retries_it(
    monkeypatch, django_capture_on_commit_callbacks
):
    contest, *_ = published_contest()

    def broken(sheets):
        raise OSError("disk full")

    monkeypatch.setattr(exports, "xlsx_bytes", broken)
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(contest, StaffFactory())
    export.refresh_from_db()
    assert (export.status, export.error) == (ContestExport.Status.FAILED, "OSError: disk full")
    message = OutboxMessage.objects.get(target=exports.BUILD_TARGET)
    assert message.completed_at is None and message.failed_at is None
    monkeypatch.undo()

    assert outbox_services.run(message.pk) is True
    export.refresh_from_db()
    assert export.status == ContestExport.Status.READY and export.row_count == 5


def test_a_pending_export_cannot_be_downloaded():
    contest, *_ = published_contest()
    export = ContestExport.objects.create(contest=contest)

    with pytest.raises(Http404):
        exports.file_for_download(export, StaffFactory())


# --- personal data: masked by default, in full only with the permission --------------------


def _with_contacts(entries):
    author = entries[0].author
    author.phone, author.email = "+8613812345678", "li.tongxue@example.org"
    author.save()
    ProfileFactory(user=author, real_name="李小明")
    return author


def _organiser(*, personal_data=False):
    user = OrganiserFactory()
    if personal_data:
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="submissions", codename="export_personal_data"
            )
        )
    return user


def test_authors_and_teachers_are_masked_in_an_ordinary_export(django_capture_on_commit_callbacks):
    contest, entries, *_ = published_contest()
    _with_contacts(entries)

    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(contest, _organiser())
    export.refresh_from_db()

    first = sheets(export)[0][1]
    assert "李**" in first and "138****5678" in first and "l***@example.org" in first
    assert "王**" in first
    assert not {"李小明", "+8613812345678", "li.tongxue@example.org", "王老师"} & set(first)


def test_holders_of_the_permission_export_names_and_contacts_and_it_is_recorded(
    django_capture_on_commit_callbacks, caplog
):
    contest, entries, *_ = published_contest()
    _with_contacts(entries)
    officer = _organiser(personal_data=True)

    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(contest, officer, personal_data=True)
    export.refresh_from_db()

    first = sheets(export)[0][1]
    assert {"李小明", "+8613812345678", "li.tongxue@example.org", "王老师"} <= set(first)
    assert (export.requested_by, export.personal_data) == (officer, True)
    record = next(r for r in caplog.records if r.getMessage() == "contest export requested")
    assert (record.user_id, record.contest_id, record.personal_data) == (
        officer.pk,
        contest.pk,
        True,
    )


def test_personal_data_needs_the_permission_to_ask_for_and_to_download(
    django_capture_on_commit_callbacks,
):
    contest, *_ = published_contest()
    organiser = _organiser()

    with pytest.raises(PermissionDenied):
        exports.request_export(contest, organiser, personal_data=True)
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(contest, _organiser(personal_data=True), personal_data=True)
    export.refresh_from_db()

    with pytest.raises(PermissionDenied):
        exports.file_for_download(export, organiser)
    assert ContestExport.objects.filter(personal_data=True).count() == 1


def test_the_results_desk_offers_personal_data_only_to_holders_of_the_permission(client):
    contest, *_ = published_contest()
    desk = reverse("contest_results_admin:contest", args=[contest.pk])

    client.force_login(_organiser())
    assert 'name="personal_data"' not in client.get(desk).text
    client.force_login(_organiser(personal_data=True))
    assert 'name="personal_data"' in client.get(desk).text


def test_exports_older_than_seven_days_are_deleted_with_their_files(
    django_capture_on_commit_callbacks,
):
    contest, *_ = published_contest()
    organiser = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        old = exports.request_export(contest, organiser)
        recent = exports.request_export(contest, organiser)
    old.refresh_from_db()
    recent.refresh_from_db()
    ContestExport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    old_path = Path(settings.KEPU_PRIVATE_MEDIA_ROOT) / old.file.name
    assert old_path.exists()

    assert exports.delete_expired_exports() == 1

    assert list(ContestExport.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not old_path.exists()
    assert (Path(settings.KEPU_PRIVATE_MEDIA_ROOT) / recent.file.name).exists()
    assert exports.delete_expired_exports() == 0


def test_celery_beat_deletes_old_contest_exports_every_hour():
    from kepu.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["delete-expired-contest-exports"]

    assert entry == {"task": "submissions.delete_expired_contest_exports", "schedule": 3600.0}
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
