"""An author's contest entries in their account export and deletion (accounts.exports,
accounts.deletion).

The export holds every entry the person wrote (withdrawn ones too), with its fields, its
entry number (the receipt's 作品编号), the files exactly as we keep them, and the published
awards and certificates. Nothing about judging goes in: no judge, score or comment, nor
unpublished results (competitions/judging/personal_data.py says why).

Deleting the account deletes the entries with it (the foreign key cascades; the voting app's
deleter first removes the votes they received). Each entry file's stored file and its video
with the transcoded outputs go after the commit (files/uploads.py), each entry leaves the search
index through its post_delete signal (search/signals.py), and the deleter here drops the
drawn award certificates from the cache.
"""

import os

from django.core.cache import cache
from django.db import transaction

from accounts.deletion import register_deleter
from accounts.exports import ExportFile, ExportSection, register_exporter

from .models import AwardCertificate, Entry, EntryAward, EntryFile
from .results import certificates as award_certificates

SECTION = "contest_entries"


def _file_member(entry: Entry, entry_file: EntryFile) -> str:
    """The file's path in the export: one folder per entry, the name the author uploaded."""
    folder = entry.display_number or f"draft-{entry.public_id}"
    name = os.path.basename((entry_file.original_name or "").replace("\\", "/")).strip(". ")
    extension = os.path.splitext(entry_file.file.name)[1]
    return f"{folder}/{entry_file.sort_order + 1:02d}-{entry_file.pk}-{name or 'file' + extension}"


def _certificates(award: EntryAward) -> list[dict]:
    return [
        {
            "holder": certificate.holder,
            "holder_name": certificate.holder_name,
            "code": certificate.display_code,
            "issued_at": certificate.issued_at,
        }
        for certificate in award.certificates.all()
    ]


def _entry_data(entry: Entry, files: list[tuple[EntryFile, str | None]]) -> dict:
    return {
        "contest": entry.contest.title,
        "group": entry.group.name,
        "entry_number": entry.display_number,
        "kind": entry.kind,
        "status": entry.status,
        "title": entry.title,
        "description": entry.description,
        "text": entry.text,
        "school": entry.school.name if entry.school_id else "",
        "grade": entry.grade,
        "advising_teacher": entry.teacher,
        "co_authors": entry.co_authors,
        "display_consent": entry.display_consent,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
        "submitted_at": entry.submitted_at,
        "files": [
            {
                "name": entry_file.original_name,
                "kind": entry_file.kind,
                "content_type": entry_file.content_type,
                "size_bytes": entry_file.size_bytes,
                "width": entry_file.width,
                "height": entry_file.height,
                "uploaded_at": entry_file.created_at,
                "file": f"files/{SECTION}/{member}" if member else None,
            }
            for entry_file, member in files
        ],
        # Published results only: until the organiser publishes them, results are not final
        # and are nobody's to see.
        "awards": [
            {
                "award": award.name,
                "group": award.group.name,
                "rank_in_group": award.rank,
                "final_score": award.final_score,
                "published_at": award.published_at,
                "certificates": _certificates(award),
            }
            for award in entry.awards.all()
            if award.published
        ],
        "in_exhibition": hasattr(entry, "exhibited"),
    }


@register_exporter
def export_contest_entries(user) -> ExportSection | None:
    """The user's entries, their stored files and published awards.

    A file missing from storage is listed without a copy rather than failing the export.
    """
    entries = (
        Entry.objects.filter(author=user)
        .select_related("contest", "group", "school", "exhibited")
        .prefetch_related("files", "awards__group", "awards__level", "awards__certificates")
        .order_by("created_at", "pk")
    )
    rows, export_files = [], []
    for entry in entries:
        files = []
        for entry_file in entry.files.all():
            stored = entry_file.file
            member = None
            if stored.name and stored.storage.exists(stored.name):
                member = _file_member(entry, entry_file)
                export_files.append(ExportFile.from_storage(member, stored.name, stored.storage))
            files.append((entry_file, member))
        rows.append(_entry_data(entry, files))
    if not rows:
        return None
    return ExportSection(SECTION, rows, export_files)


@register_deleter
def forget_drawn_certificates(user) -> None:
    """Drops the cached images of the award certificates of the user's entries once the
    deletion is committed (the rows themselves cascade with the entries)."""
    certificates = AwardCertificate.objects.filter(award__entry__author=user)
    keys = [key for c in certificates for key in award_certificates.KIND.cache_keys(c)]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))
