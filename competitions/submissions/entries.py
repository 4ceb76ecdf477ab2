"""Entry services: drafts, files, submission with an entry number, withdrawal.

Plain functions; views stay thin. Every function either does all it says or raises
ValidationError with a message for the author and changes nothing.

Files are checked in a worker (files/uploads.py, files/checks.py): `add_file` and
`replace_file` do only the cheap checks, store the raw upload as a pending EntryFile and
queue its check through the outbox in the same transaction. Only accepted files count
(`check_complete`, judging, public pages, results). While a file is pending the entry cannot
be submitted ("still being checked"); pending files take places among the contest's
`max_files` (a pending replacement takes its old file's place). A replacement keeps the old
file until the new one is accepted, so a submitted entry never loses its only file: on
refusal the old one stays and the refused upload is listed with the reason until the author
removes it.

Edits after submission: until the deadline a submitted entry may be changed, but it stays
submitted only as a complete entry. Every change to it (fields, a removed file, and an
accepted new or replacing file in the worker) runs `check_complete`, the very check
`submit_entry` runs, inside the same transaction, and is undone if it fails. The entry
number never changes.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.core.models import Unit
from outbox import services as outbox

from .files import uploads
from .models import Contest, Entry, EntryFile, EntryKind

EDITABLE_FIELDS = (
    "title",
    "description",
    "group",
    "school",
    "grade",
    "teacher",
    "co_authors",
    "display_consent",
)


def count_words(text: str) -> int:
    """The length of a typed-in text as Chinese contests count it: characters, without
    spaces and line breaks."""
    return sum(1 for char in text or "" if not char.isspace())


def needs_guardian(user) -> bool:
    """True when `user` may not submit yet because a guardian has not agreed."""
    return user.consent_status not in (
        user.ConsentStatus.NOT_REQUIRED,
        user.ConsentStatus.GRANTED,
    )


def _check_open(contest: Contest, now=None) -> None:
    if not contest.accepts_entries(now):
        if (now or timezone.now()) < contest.submission_opens_at:
            raise ValidationError(_("This contest is not accepting entries yet."), code="closed")
        raise ValidationError(
            _("The deadline has passed; entries can no longer be changed."), code="closed"
        )


def _check_editable(entry: Entry) -> None:
    if entry.status == Entry.Status.WITHDRAWN:
        raise ValidationError(_("This entry was withdrawn."), code="withdrawn")
    _check_open(entry.contest)


def active_entry(contest: Contest, user) -> Entry | None:
    """The author's draft or submitted entry in `contest`, if any."""
    return (
        Entry.objects.filter(contest=contest, author=user)
        .exclude(status=Entry.Status.WITHDRAWN)
        .first()
    )


def _clean_fields(contest: Contest, entry: Entry, data: dict) -> None:
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(entry, name, data[name])
    if "kind" in data:
        entry.kind = data["kind"]
    if "text" in data:
        entry.text = (data["text"] or "").strip()
    _check_fields(contest, entry)


def _check_fields(contest: Contest, entry: Entry) -> None:
    entry.title = (entry.title or "").strip()
    if not entry.title:
        raise ValidationError({"title": _("Give your entry a title.")})
    if entry.kind not in (contest.entry_kinds or []):
        raise ValidationError({"kind": _("This contest does not accept this kind of entry.")})
    if entry.group_id is None or entry.group.contest_id != contest.pk:
        raise ValidationError({"group": _("Choose one of this contest's groups.")})
    if entry.school_id is not None:
        school = entry.school
        if school.kind != Unit.Kind.SCHOOL or not school.is_active:
            raise ValidationError({"school": _("Choose your school from the list.")})
    words = count_words(entry.text)
    if words > contest.max_words:
        raise ValidationError(
            {
                "text": _("The text has %(count)s characters; at most %(limit)s are allowed.")
                % {"count": words, "limit": contest.max_words}
            }
        )


def save_draft(contest: Contest, user, data: dict, entry: Entry | None = None) -> Entry:
    """Create the author's draft in `contest` (entry None) or update `entry`.

    `data` holds any of title, description, group, school, grade, teacher, co_authors,
    kind, text. Only during the submission phase; a submitted entry stays submitted and
    keeps its number (it may be edited until the deadline) and is saved only if it passes
    `check_complete`, exactly as at its submission. One active entry per author
    and contest (a database constraint; the existing entry is reported, not duplicated).
    """
    _check_open(contest)
    with transaction.atomic():
        if entry is None:
            existing = active_entry(contest, user)
            if existing is not None:
                raise ValidationError(
                    _("You already have an entry in this contest; edit it instead."),
                    code="duplicate",
                )
            entry = Entry(contest=contest, author=user, status=Entry.Status.DRAFT)
        else:
            entry = Entry.objects.select_for_update().get(pk=entry.pk)
            if entry.author_id != user.pk:
                raise ValidationError(_("This is not your entry."), code="forbidden")
            _check_editable(entry)
        # The author's own agreement is kept for everyone; for authors under 14 it counts
        # only together with the guardian's display consent (display.py).
        _clean_fields(contest, entry, data)
        if entry.status == Entry.Status.SUBMITTED:
            check_complete(entry)
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("You already have an entry in this contest; edit it instead."),
                code="duplicate",
            ) from exc
    return entry


def _file_kinds(contest: Contest) -> list[str]:
    file_kinds = [k for k in contest.entry_kinds if k != EntryKind.TEXT]
    if not file_kinds:
        raise ValidationError(_("This contest accepts typed-in text only."), code="no_files")
    return file_kinds


def _check_author(entry: Entry, user) -> None:
    if entry.author_id != user.pk:
        raise ValidationError(_("This is not your entry."), code="forbidden")


def _store_and_queue(locked: Entry, uploaded, received, **placement) -> EntryFile:
    stored = uploads.store_pending(locked, uploaded, received, **placement)
    with uploads.discard_on_error(stored):
        outbox.enqueue(uploads.CHECK_TARGET, stored.pk)
    return stored


def add_file(entry: Entry, user, uploaded) -> EntryFile:
    """Receive `uploaded` for `entry`: cheap checks, then stored as a pending file whose
    check is queued (see the module docstring). Returns the pending EntryFile.

    Refuses at once files beyond the contest's limits (size, kind by content, number of
    files counting pending ones) and outside the submission phase; a refused file leaves
    nothing stored. Decodes nothing.
    """
    contest = entry.contest
    _check_author(entry, user)
    _check_editable(entry)
    received = uploads.receive(
        uploaded, allowed_kinds=_file_kinds(contest), max_file_mb=contest.max_file_mb
    )
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        _check_editable(locked)
        if locked.files.taking_a_place().count() >= contest.max_files:
            raise _too_many_files(contest)
        last = locked.files.aggregate(last=Max("sort_order"))["last"]
        return _store_and_queue(
            locked, uploaded, received, sort_order=0 if last is None else last + 1
        )


def replace_file(entry_file: EntryFile, user, uploaded) -> EntryFile:
    """Receive `uploaded` to take the place of the accepted `entry_file`: the way to change
    the file of a submitted entry, which must never be left without one.

    The new file gets the cheap checks of `add_file` at once and is stored pending with
    `replaces` set; the old one stays, and counts, until the worker accepts the new one
    (files/checks.py). A new replacement supersedes a pending one of the same file. A
    submitted entry's only file of its kind can be replaced only by a file of that kind.
    """
    entry = entry_file.entry
    contest = entry.contest
    _check_author(entry, user)
    _check_editable(entry)
    received = uploads.receive(
        uploaded, allowed_kinds=_file_kinds(contest), max_file_mb=contest.max_file_mb
    )
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        _check_editable(locked)
        old = EntryFile.objects.filter(pk=entry_file.pk, entry=locked).first()
        if old is None:
            raise ValidationError(_("This file was already removed."), code="gone")
        if not old.is_accepted:
            raise ValidationError(
                _("Only an accepted file can be replaced. Remove this one instead."),
                code="not_accepted",
            )
        if (
            locked.status == Entry.Status.SUBMITTED
            and old.kind == locked.kind
            and received.kind != locked.kind
            and not locked.files.accepted().filter(kind=locked.kind).exclude(pk=old.pk).exists()
        ):
            raise ValidationError(
                _(
                    "Your entry is of the kind “%(kind)s”, so it must keep a file of that kind: "
                    "replace this file with one of the same kind."
                )
                % {"kind": EntryKind(locked.kind).label},
                code="replacement_kind",
            )
        for superseded in old.replacements.filter(state=EntryFile.State.PENDING):
            uploads.delete_stored(superseded)
        return _store_and_queue(locked, uploaded, received, sort_order=old.sort_order, replaces=old)


def _too_many_files(contest: Contest) -> ValidationError:
    return ValidationError(
        _("An entry may have at most %(limit)s files.") % {"limit": contest.max_files},
        code="too_many_files",
    )


def remove_file(entry_file: EntryFile, user) -> None:
    """Remove a file from its entry (until the deadline); its stored bytes are deleted.

    A pending upload is cancelled and a refused one dismissed at any time. A submitted
    entry must stay complete (`check_complete`): its last accepted file cannot be removed,
    only replaced (`replace_file`).
    """
    entry = entry_file.entry
    _check_author(entry, user)
    _check_editable(entry)
    with transaction.atomic():
        locked = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
        current = EntryFile.objects.filter(pk=entry_file.pk, entry=locked).first()
        if current is None:
            return
        uploads.delete_stored(current)
        if locked.status == Entry.Status.SUBMITTED and current.is_accepted:
            try:
                check_complete(locked)
            except ValidationError as error:
                if error.code != "empty":
                    raise
                raise ValidationError(
                    _(
                        "A submitted entry must keep its file. Use “Replace” to upload "
                        "a new file instead."
                    ),
                    code="last_file",
                ) from error


def submit_entry(entry: Entry, user, now=None) -> Entry:
    """Submit `entry`: it gets its entry number (作品编号) the first time, once.

    Only during the submission phase. Idempotent: submitting again (a double tap, a
    retry, a resubmission after editing) keeps the number. Numbers are given under a row
    lock on the contest (next = highest + 1), so concurrent submissions never share one;
    the unique constraint on (contest, number) holds regardless. Authors under 14 need
    their guardian's consent first. Not while a file is still being checked.
    """
    if entry.author_id != user.pk:
        raise ValidationError(_("This is not your entry."), code="forbidden")
    if needs_guardian(user):
        raise ValidationError(
            _("Your guardian must agree before you can submit an entry."), code="consent"
        )
    with transaction.atomic():
        Contest.objects.select_for_update().only("pk").get(pk=entry.contest_id)
        entry = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
        _check_editable(entry)
        if entry.files.pending().exists():
            raise ValidationError(
                _("A file is still being checked. Please wait a moment, then submit."),
                code="pending",
            )
        check_complete(entry)
        if entry.status == Entry.Status.SUBMITTED:
            return entry
        if entry.number is None:
            highest = Entry.objects.filter(contest_id=entry.contest_id).aggregate(
                highest=Max("number")
            )["highest"]
            entry.number = (highest or 0) + 1
        entry.status = Entry.Status.SUBMITTED
        entry.submitted_at = now or timezone.now()
        entry.save(update_fields=["number", "status", "submitted_at", "updated_at"])
    return entry


def check_complete(entry: Entry) -> None:
    """Everything a submitted entry needs, against the contest's current rules: the same
    check at the first submission and after every edit of a submitted entry.

    Fields (title, kind allowed, group, school, word limit); a typed-in entry has text; a
    file entry has at least one accepted file of its kind, no more accepted files than
    allowed, each of a kind and size the contest accepts, and no video whose processing
    failed. Pending and refused files do not count. Raises ValidationError (code "empty"
    when the text or file is missing); changes nothing.
    """
    contest = entry.contest
    _check_fields(contest, entry)
    if entry.kind == EntryKind.TEXT:
        if not entry.text.strip():
            raise ValidationError(_("Type in the text of your entry first."), code="empty")
        return
    files = list(entry.files.accepted().select_related("video"))
    if not any(entry_file.kind == entry.kind for entry_file in files):
        raise ValidationError(_("Upload the file of your entry first."), code="empty")
    if len(files) > contest.max_files:
        raise _too_many_files(contest)
    for entry_file in files:
        if entry_file.kind not in contest.entry_kinds:
            raise ValidationError(
                _("This contest does not accept %(kind)s files.")
                % {"kind": EntryKind(entry_file.kind).label},
                code="kind_not_allowed",
            )
        uploads.check_stored_size(entry_file, contest.max_file_mb)
        if entry_file.video is not None and entry_file.video.is_failed:
            raise ValidationError(
                _("Your video “%(name)s” could not be processed. Please replace it.")
                % {"name": entry_file.original_name},
                code="video_failed",
            )


def withdraw_entry(entry: Entry, user) -> Entry:
    """Withdraw `entry` (until the deadline). Its files are deleted; the number is not
    given again (a draft never submitted is deleted). The author may then start a new
    entry. Idempotent."""
    if entry.author_id != user.pk:
        raise ValidationError(_("This is not your entry."), code="forbidden")
    with transaction.atomic():
        entry = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
        if entry.status == Entry.Status.WITHDRAWN:
            return entry
        _check_open(entry.contest)
        for entry_file in list(entry.files.all()):
            uploads.delete_stored(entry_file)
        if entry.number is None:
            # A draft never submitted has no number to keep: it is simply deleted.
            entry.delete()
            entry.status = Entry.Status.WITHDRAWN
            return entry
        entry.status = Entry.Status.WITHDRAWN
        entry.save(update_fields=["status", "updated_at"])
    return entry
