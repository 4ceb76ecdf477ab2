"""The steps every background export takes: request, build, download, expiry."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.utils import timezone, translation

import outbox.services
from kepu.storage import private_storage

from .models import ExportJob

Status = ExportJob.Status


@dataclass(frozen=True)
class ExportLifecycle:
    """The lifecycle of the rows of one concrete ExportJob model.

    `owner` names the foreign key to what is exported ("quiz", "contest"); `build_target`
    the outbox job that builds a requested export (its task calls `build`);
    `may_download(export, user)` the app's download rule. Log lines go to the app's `logger`
    as "<noun> requested/ready/failed/downloaded", with the export's and its owner's ids and
    whatever `details(export)` adds.
    """

    model: type[ExportJob]
    owner: str
    build_target: str
    may_download: Callable[[ExportJob, object], bool]
    logger: logging.Logger
    noun: str
    details: Callable[[ExportJob], dict] = field(default=lambda export: {})

    def request(self, user, *, personal_data: bool = False, **fields) -> ExportJob:
        """Record an export request (pending) with `fields` and queue its build.

        Guarantees: the row and the outbox message are written together, so the build
        starts only after the surrounding transaction commits and is never lost. The caller
        has checked that `user` may ask. Logged at WARNING for personal data, else at INFO.
        """
        with transaction.atomic():
            export = self.model.objects.create(
                requested_by=user, personal_data=personal_data, **fields
            )
            outbox.services.enqueue(self.build_target, export.pk)
        self._log(export, "requested", user_id=user.pk)
        return export

    def build(self, export_id: int, write: Callable[[ExportJob, Storage], tuple[str, int]]) -> str:
        """Build the export's file and mark it ready; returns its status.

        `write(export, storage)` saves the file (in the site's language) and returns its
        stored name and row count. Idempotent: a ready export is left alone, and if two
        deliveries build the same export at once the second file is discarded; a missing row
        (deleted meanwhile) returns "missing". A failure marks the export failed with the
        error and re-raises, so the outbox retries it.
        """
        export = self.model.objects.select_related(self.owner).filter(pk=export_id).first()
        if export is None:
            return "missing"
        if export.status == Status.READY:
            return export.status
        unfinished = self.model.objects.filter(pk=export.pk).exclude(status=Status.READY)
        unfinished.update(status=Status.RUNNING, error="")
        storage = private_storage()
        try:
            with translation.override(settings.LANGUAGE_CODE):
                name, rows = write(export, storage)
        except Exception as exc:
            unfinished.update(
                status=Status.FAILED,
                error=f"{type(exc).__name__}: {exc}"[:2000],
                finished_at=timezone.now(),
            )
            self.logger.exception(f"{self.noun} failed", extra={"export_id": export.pk})
            raise
        with transaction.atomic():
            current = self.model.objects.select_for_update().filter(pk=export.pk).first()
            if current is None or current.status == Status.READY:
                storage.delete(name)
                return "missing" if current is None else current.status
            current.status = Status.READY
            current.file.name = name
            current.row_count = rows
            current.finished_at = timezone.now()
            current.error = ""
            current.save(update_fields=["status", "file", "row_count", "finished_at", "error"])
        self.logger.info(
            f"{self.noun} ready", extra={"export_id": export.pk, "rows": rows, "file": name}
        )
        return Status.READY

    def file_for_download(self, export: ExportJob, user) -> FieldFile:
        """The export's stored file, for a user `may_download` allows.

        PermissionDenied for others; Http404 while it is not ready or its file is gone.
        Every download is logged (at WARNING when the file holds personal data).
        """
        if not self.may_download(export, user):
            raise PermissionDenied
        if export.status != Status.READY or not export.file.name:
            raise Http404
        if not export.file.storage.exists(export.file.name):
            raise Http404
        self._log(export, "downloaded", user_id=user.pk)
        return export.file

    def delete_expired(self, keep_days: int, now: datetime | None = None) -> int:
        """Delete the exports (rows and files) requested more than `keep_days` days ago.

        Returns how many were deleted. Safe to run repeatedly; a file already gone is ignored.
        """
        cutoff = (now or timezone.now()) - timedelta(days=keep_days)
        storage = private_storage()
        deleted = 0
        for export in self.model.objects.filter(created_at__lt=cutoff).only("pk", "file"):
            if export.file.name:
                storage.delete(export.file.name)
            export.delete()
            deleted += 1
        if deleted:
            self.logger.info(f"old {self.noun}s deleted", extra={"count": deleted})
        return deleted

    def _log(self, export: ExportJob, event: str, **extra) -> None:
        owner_id = f"{self.owner}_id"
        self.logger.log(
            logging.WARNING if export.personal_data else logging.INFO,
            f"{self.noun} {event}",
            extra={
                "export_id": export.pk,
                owner_id: getattr(export, owner_id),
                **self.details(export),
                "personal_data": export.personal_data,
                **extra,
            },
        )
