"""The check of a contest upload, in a worker: accepted (cleaned) or refused, exactly once.

The upload request stored the raw bytes in an EntryFile in state "pending" and queued
`check_entry_file(file_id)` through the outbox (uploads.py, entries.py). This runs it:

1. The raw bytes are copied to a temporary directory and examined in a bounded child
   process (kepu/bounded.py): images are decoded under a pixel count read from the header
   first and re-encoded without metadata, .docx packages are streamed under an unpacked-size
   and a document.xml cap and rewritten without personal properties, PDFs are rewritten
   without Info/XMP metadata and their text read (inspection.py, pdf_text.py), videos are
   probed with ffprobe under the same kind of limits (content.video.probe).
2. The verdict is recorded in one transaction, under row locks on the entry and the file:
   - accepted: the cleaned copy is stored under a random name in place of the raw bytes
     (a video keeps its raw upload as the original of a private content.Video, whose
     transcode is queued: content.video.transcoding.request_transcode), with its text and size; a
     replacement (`replaces`) takes its old file's place, and the old file is deleted; a
     submitted entry must still pass `entries.check_complete` afterwards, or the new
     file is refused with that message and the old one stays;
   - refused: the row keeps the code and the author's message, and the raw bytes are
     deleted after commit (a refused upload leaves no stored bytes behind).

Idempotent and safe to redeliver: a file that is no longer pending (decided, removed,
withdrawn) is left alone, and a verdict is only recorded while the row still holds the raw
bytes this run examined, so two runs at once record one result and store one file. A crash
before the verdict's commit leaves the file pending with nothing new stored, and the outbox
delivers the job again (outbox/services.py). Only a problem of the site itself (storage or
database unreachable) raises, so that the outbox retries; a bad file never does.
"""

import logging
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation

from content.video import probe as video_probe
from content.video.models import Video
from content.video.transcoding import request_transcode
from kepu.storage import copy_to_local
from outbox.jobs import job

from ..entries import check_complete
from ..models import Entry, EntryFile, EntryKind
from . import inspection, uploads

logger = logging.getLogger(__name__)

# Which inspection a pending document or image gets, by the content type of `uploads.receive`.
OPS = {
    "image/jpeg": "image",
    "image/png": "image",
    "image/webp": "image",
    "application/pdf": "pdf",
    uploads.DOCX_TYPE: "docx",
}


class Verdict:
    """What the examination found: accepted with the facts to record, or refused."""

    def __init__(self, error: ValidationError | None = None, **facts):
        self.error = error
        self.facts = facts
        self.output: Path | None = facts.pop("output", None)

    @property
    def accepted(self) -> bool:
        return self.error is None


@job(uploads.CHECK_TARGET)
def check_entry_file(file_id: int) -> str:
    """Check one pending entry file and record the verdict (see the module docstring).

    Returns "accepted", "refused", or "skipped" (nothing to do: already decided, removed,
    or superseded by another run). Idempotent; never raises for a bad file.
    """
    entry_file = EntryFile.objects.filter(pk=file_id, state=EntryFile.State.PENDING).first()
    if entry_file is None or not entry_file.file:
        return "skipped"
    raw_name = entry_file.file.name
    with tempfile.TemporaryDirectory(prefix="kepu-check-") as workdir:
        source = Path(workdir) / ("upload" + Path(raw_name).suffix)
        try:
            copy_to_local(entry_file.file.storage, raw_name, source)
        except FileNotFoundError:
            return "skipped"  # removed while we were on our way
        with translation.override(settings.LANGUAGE_CODE):
            verdict = examine(entry_file, source, Path(workdir))
            return record(file_id, raw_name, verdict)


def examine(entry_file: EntryFile, source: Path, workdir: Path) -> Verdict:
    """The examination of the raw bytes at `source`, in bounded child processes."""
    if entry_file.kind == EntryKind.VIDEO:
        return _examine_video(source)
    op = OPS.get(entry_file.content_type)
    if op is None:
        return Verdict(uploads.refusal("unsupported_type"))
    output = workdir / "clean"
    result = inspection.inspect(op, source, output)
    if not result.get("ok"):
        return Verdict(uploads.refusal(result.get("code", ""), result.get("params")))
    if op == "image":
        extension = result["extension"]
        return Verdict(
            output=output,
            extension=extension,
            content_type="image/png" if extension == "png" else "image/jpeg",
            width=result["width"],
            height=result["height"],
        )
    if op == "pdf":
        # The text is read from the clean copy; a PDF too slow to read keeps no text.
        text = inspection.inspect("pdf-text", output)
        return Verdict(
            output=output,
            extension="pdf",
            content_type="application/pdf",
            extracted_text=str(text.get("text", ""))[: inspection.MAX_EXTRACTED_CHARS],
        )
    return Verdict(
        output=output,
        extension="docx",
        content_type=uploads.DOCX_TYPE,
        extracted_text=result.get("text", "")[: inspection.MAX_EXTRACTED_CHARS],
    )


def _examine_video(source: Path) -> Verdict:
    try:
        info = video_probe.probe(source)
    except video_probe.ToolMissing:
        # Accepted after the size check; the transcode stays pending with a note to install
        # ffmpeg (content.video.transcoding.transcode) and probes it then.
        return Verdict()
    except ValidationError as error:
        return Verdict(error)
    try:
        video_probe.check_limits(info)
    except ValidationError as error:
        return Verdict(error)
    return Verdict(width=info.width, height=info.height)


def record(file_id: int, raw_name: str, verdict: Verdict) -> str:
    """Record `verdict` for the file whose raw bytes `raw_name` were examined (module
    docstring, step 2). Returns "accepted", "refused" or "skipped"."""
    storage = EntryFile._meta.get_field("file").storage
    stored: list[str] = []
    try:
        with transaction.atomic():
            entry_id = (
                EntryFile.objects.filter(pk=file_id).values_list("entry_id", flat=True).first()
            )
            if entry_id is None:
                return "skipped"
            entry = Entry.objects.select_for_update().select_related("contest").get(pk=entry_id)
            entry_file = EntryFile.objects.select_for_update().filter(pk=file_id).first()
            if (
                entry_file is None
                or entry_file.state != EntryFile.State.PENDING
                or entry_file.file.name != raw_name
            ):
                return "skipped"
            if verdict.accepted:
                error = _accept(entry, entry_file, verdict, storage, stored)
                if error is None:
                    return "accepted"
                verdict = Verdict(error)
                entry_file = EntryFile.objects.get(pk=file_id)  # as before the savepoint
            _refuse(entry_file, verdict.error)
            return "refused"
    except BaseException:
        for name in stored:
            storage.delete(name)
        raise


def _accept(
    entry: Entry, entry_file: EntryFile, verdict: Verdict, storage, stored
) -> ValidationError | None:
    """Store the cleaned file and mark `entry_file` accepted, in a savepoint. Returns the
    completeness error if the submitted entry would not pass `check_complete` (then
    nothing of this has happened)."""
    raw_name = entry_file.file.name
    old = entry_file.replaces
    try:
        with transaction.atomic():
            facts = dict(verdict.facts)
            extension = facts.pop("extension", None)
            if verdict.output is not None:
                name = timezone.now().strftime(EntryFile._meta.get_field("file").upload_to)
                with verdict.output.open("rb") as handle:
                    name = storage.save(f"{name}{uuid.uuid4().hex}.{extension}", File(handle))
                stored.append(name)
                entry_file.file.name = name  # size_bytes stays the upload's (the limit's)
            for field, value in facts.items():
                setattr(entry_file, field, value)
            if entry_file.kind == EntryKind.VIDEO:
                # The raw upload becomes the original of a private content.Video.
                entry_file.video = Video.objects.create(
                    title=f"{entry.contest_id}-{entry.pk}",
                    original=raw_name,
                    size_bytes=entry_file.size_bytes,
                    private_outputs=True,
                )
                request_transcode(entry_file.video)
            entry_file.state = EntryFile.State.ACCEPTED
            entry_file.checked_at = timezone.now()
            if old is not None:
                entry_file.sort_order = old.sort_order
                entry_file.replaces = None
                uploads.delete_stored(old)
            entry_file.save()
            if entry.status == Entry.Status.SUBMITTED:
                check_complete(entry)
    except ValidationError as error:
        for name in stored:
            storage.delete(name)
        stored.clear()
        return error
    if verdict.output is not None:
        transaction.on_commit(lambda: storage.delete(raw_name))
    return None


def _refuse(entry_file: EntryFile, error: ValidationError) -> None:
    raw_name = entry_file.file.name
    storage = entry_file.file.storage
    entry_file.state = EntryFile.State.REFUSED
    entry_file.refusal_code = _code(error)
    entry_file.refusal_message = " ".join(error.messages)
    entry_file.file = ""
    entry_file.replaces = None
    entry_file.checked_at = timezone.now()
    entry_file.save()
    transaction.on_commit(lambda: storage.delete(raw_name))
    logger.info(
        "entry file refused",
        extra={"entry_file_id": entry_file.pk, "code": entry_file.refusal_code},
    )


def _code(error: ValidationError) -> str:
    """The code of a refusal; "incomplete" for a field error of `check_complete`."""
    errors = getattr(error, "error_list", None) or [
        e for field_errors in error.error_dict.values() for e in field_errors
    ]
    return next((e.code for e in errors if e.code), "incomplete")[:40]
