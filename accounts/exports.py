"""A person's own data as a ZIP file (data.json plus their files), assembled from a registry.

Each app that keeps personal data registers an exporter: a function that takes the user and
returns an `ExportSection` (or None when it has nothing for them). Sections become top-level
keys of data.json; their files go under `files/<section>/`. Exporters must leave out
secrets: password hashes, tokens, codes.

    from accounts.exports import ExportFile, ExportSection, register_exporter

    @register_exporter
    def export_entries(user):
        entries = Entry.objects.filter(author=user)
        return ExportSection(
            "competition_entries",
            [entry.as_export() for entry in entries],
            [ExportFile.from_storage(f"{e.pk}/{e.file.name}", e.file.name) for e in entries],
        )
"""

import json
import logging
import posixpath
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core.files.storage import Storage, default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .models import GuardianConsent, Profile, User

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1


@dataclass(frozen=True)
class ExportFile:
    """A file to include: `path` inside the section's folder, `open` returns a binary stream."""

    path: str
    open: Callable[[], IO[bytes]]

    @classmethod
    def from_storage(cls, path: str, name: str, storage: Storage | None = None) -> "ExportFile":
        storage = storage or default_storage
        return cls(path=path, open=lambda: storage.open(name, "rb"))


@dataclass
class ExportSection:
    name: str
    data: Any
    files: Iterable[ExportFile] = field(default_factory=list)


Exporter = Callable[[User], ExportSection | None]
_exporters: list[Exporter] = []


def register_exporter(exporter: Exporter) -> Exporter:
    """Adds `exporter` to every data export (idempotent; usable as a decorator)."""
    if exporter not in _exporters:
        _exporters.append(exporter)
    return exporter


def exporters() -> list[Exporter]:
    return list(_exporters)


def _safe_member(section: str, path: str) -> str:
    parts = [p for p in posixpath.normpath("/" + path.replace("\\", "/")).split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        raise ValueError(f"unsafe export path {path!r}")
    return posixpath.join("files", section, *parts)


def collect_sections(user: User) -> list[ExportSection]:
    sections = []
    names = set()
    for exporter in _exporters:
        section = exporter(user)
        if section is None:
            continue
        if section.name in names or section.name in ("format_version", "exported_at"):
            raise ValueError(f"duplicate export section {section.name!r}")
        names.add(section.name)
        sections.append(section)
    return sections


def write_export(user: User, fileobj: IO[bytes]) -> None:
    """Writes the ZIP of everything registered exporters hold about `user` to `fileobj`.

    Guarantees: data.json holds every section (no password hash, tokens or codes from the
    built-in exporters); each section's files are stored under files/<section>/ with paths
    that cannot escape it. The export is logged (user id only).
    """
    sections = collect_sections(user)
    document = {
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        **{section.name: section.data for section in sections},
    }
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for section in sections:
            for export_file in section.files:
                member = _safe_member(section.name, export_file.path)
                with export_file.open() as source, archive.open(member, "w") as target:
                    while chunk := source.read(1024 * 1024):
                        target.write(chunk)
    logger.info("personal data exported", extra={"user_id": user.pk})


_SECRET_WORDS = ("token", "secret", "password", "code")


def _without_secrets(value: Any) -> Any:
    """Drops keys that look like credentials, at any depth (providers differ in what they send)."""
    if isinstance(value, dict):
        return {
            k: _without_secrets(v)
            for k, v in value.items()
            if not any(word in str(k).lower() for word in _SECRET_WORDS)
        }
    if isinstance(value, list):
        return [_without_secrets(v) for v in value]
    return value


# --- The accounts app's own sections --------------------------------------------------------


@register_exporter
def export_user(user: User) -> ExportSection:
    return ExportSection(
        "user",
        {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "phone": user.phone,
            "phone_verified": user.phone_verified,
            "birth_year": user.birth_year,
            "birth_month": user.birth_month,
            "consent_status": user.consent_status,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "has_password": user.has_usable_password(),
        },
    )


@register_exporter
def export_profile(user: User) -> ExportSection:
    profile = Profile.objects.filter(user=user).first()
    data = None
    if profile is not None:
        data = {
            "real_name": profile.real_name,
            "region": profile.region,
            "school": profile.school,
            "grade": profile.grade,
            "grade_display": str(profile.get_grade_display()) if profile.grade else "",
            "updated_at": profile.updated_at,
        }
    return ExportSection("profile", data)


@register_exporter
def export_guardian_consents(user: User) -> ExportSection:
    consents = GuardianConsent.objects.filter(child=user).order_by("decided_at", "pk")
    return ExportSection(
        "guardian_consents",
        [
            {
                "decision": c.decision,
                "scope": c.scope,
                "policy_version": c.policy_version,
                "guardian_phone": c.guardian_phone,
                "decided_at": c.decided_at,
            }
            for c in consents
        ],
    )


@register_exporter
def export_email_addresses(user: User) -> ExportSection:
    return ExportSection(
        "email_addresses",
        [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
    )


@register_exporter
def export_social_accounts(user: User) -> ExportSection:
    # Access tokens live in SocialToken and are never exported; extra_data is what the
    # provider told us about the person (e.g. WeChat nickname), which is theirs.
    return ExportSection(
        "social_accounts",
        [
            {
                "provider": a.provider,
                "uid": a.uid,
                "date_joined": a.date_joined,
                "last_login": a.last_login,
                "extra_data": _without_secrets(a.extra_data),
            }
            for a in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
    )
