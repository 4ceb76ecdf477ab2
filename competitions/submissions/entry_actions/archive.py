"""All files of a set of entries as one ZIP, streamed: memory stays flat whatever the size.

Files are named by entry number only ("C3-0042.pdf", "C3-0042-2.jpg", typed-in texts
"C3-0042.txt"), never by the name a pupil gave the file. Videos go as their transcoded MP4
(metadata and GPS positions stripped), never the original.
"""

import datetime
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Entry, EntryFile, EntryKind

CHUNK_SIZE = 256 * 1024


def archivable_files(entries: Iterable[Entry]) -> QuerySet[EntryFile]:
    """The one place that decides which entry files may leave in bulk: the files of
    `entries` that passed their checks. (Files are checked as they are uploaded; a file's
    check state, when EntryFile records one, is filtered here.)"""
    return (
        EntryFile.objects.filter(entry__in=entries)
        .select_related("entry", "video")
        .order_by("entry__number", "sort_order", "pk")
    )


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    open: Callable[[], IO[bytes]]


def members(entries: QuerySet[Entry]) -> list[Member]:
    """What the ZIP holds, in entry-number order."""
    entries = list(entries.order_by("number", "pk"))
    files: dict[int, list[tuple[str, int, Callable]]] = {}
    for entry_file in archivable_files(entries):
        stored = _stored(entry_file)
        if stored is not None:
            files.setdefault(entry_file.entry_id, []).append(stored)
    result = []
    for entry in entries:
        number = entry.display_number or f"draft-{entry.pk}"
        own = files.get(entry.pk, [])
        for index, (extension, size, opener) in enumerate(own, start=1):
            suffix = f"-{index}" if len(own) > 1 else ""
            result.append(Member(f"{number}{suffix}{extension}", size, opener))
        if entry.kind == EntryKind.TEXT and entry.text.strip():
            text = entry.text.encode("utf-8-sig")  # Notepad on Windows reads it as UTF-8
            result.append(Member(f"{number}.txt", len(text), lambda text=text: _Bytes(text)))
    return result


def _stored(entry_file: EntryFile):
    """(extension, size, opener) of what leaves for this file, or None (a video whose
    transcoding is not ready)."""
    if entry_file.kind == EntryKind.VIDEO:
        video = entry_file.video
        if video is None or not video.is_ready or not video.private_mp4:
            return None
        field = video.private_mp4
        return ".mp4", field.size, lambda field=field: field.open("rb")
    field = entry_file.file
    extension = os.path.splitext(field.name)[1].lower()
    return extension, entry_file.size_bytes, lambda field=field: field.open("rb")


class _Bytes:
    def __init__(self, data: bytes):
        self.data = data

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def read(self, size: int = -1) -> bytes:
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data


class _Sink:
    """A write-only stream: zipfile writes into it, the generator hands the bytes on."""

    def __init__(self):
        self.chunks: list[bytes] = []
        self.offset = 0

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        self.offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self.offset

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def stream_zip(entries: QuerySet[Entry]) -> Iterator[bytes]:
    """The ZIP of `entries`' files, in pieces of about CHUNK_SIZE (files are stored as they
    are: images, videos and documents are compressed already)."""
    sink = _Sink()
    moment = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for member in members(entries):
            info = zipfile.ZipInfo(member.name, date_time=moment)
            info.file_size = member.size
            with member.open() as source, archive.open(info, "w") as target:
                while chunk := source.read(CHUNK_SIZE):
                    target.write(chunk)
                    yield sink.take()
            yield sink.take()
    yield sink.take()


def archive_name(contest_id: int, now: datetime.datetime | None = None) -> str:
    day = timezone.localtime(now or timezone.now()).strftime("%Y%m%d")
    return f"contest-{contest_id}-entries-{day}.zip"
