"""What the upload and upload-check tests share besides fixtures."""

from pathlib import Path

from competitions.submissions.models import EntryKind

ALL_FILE_KINDS = [EntryKind.TEXT, EntryKind.DOCUMENT, EntryKind.IMAGE, EntryKind.VIDEO]


def private_files(settings) -> list[Path]:
    root = Path(settings.KEPU_PRIVATE_MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
