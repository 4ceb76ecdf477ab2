"""Entry pages for signed-in authors: enter, edit, upload, submit, withdraw, receipt, and the
permission-checked download of entry files. Thin: the rules live in entries.py and files/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.consent import display_consent_granted, needs_guardian_for_display
from kepu import ratelimit

from . import entries
from .files import serving
from .files.links import file_url
from .files.variants import ORIGINAL, POSTER, VIDEO
from .forms import EntryForm, UploadForm
from .models import Contest, Entry, EntryFile, EntryKind
from .results.awards import visible_certificates

UPLOADS_PER_HOUR = 60


def _own_entry(request, public_id) -> Entry:
    """The signed-in author's entry; anyone else gets a 404 (no hint that it exists)."""
    return get_object_or_404(
        Entry.objects.select_related("contest", "group"), public_id=public_id, author=request.user
    )


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _display_step(user) -> dict:
    """For the entry page and the receipt: whether the author needs the guardian's display
    consent (under 14) and whether it is given."""
    needed = needs_guardian_for_display(user)
    return {
        "needed": needed,
        "granted": needed and display_consent_granted(user),
        "can_request": user.consent_status == user.ConsentStatus.GRANTED,
    }


def _message(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enter(request, contest_id: int):
    """Start an entry in a contest, or continue the one the author already has."""
    contest = get_object_or_404(Contest, pk=contest_id)
    existing = entries.active_entry(contest, request.user)
    if existing is not None:
        return redirect("contests:entry_edit", public_id=existing.public_id)
    form = EntryForm(request.POST or None, contest=contest)
    if request.method == "POST" and form.is_valid():
        try:
            entry = entries.save_draft(contest, request.user, form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your draft is saved."))
            return redirect("contests:entry_edit", public_id=entry.public_id)
    return render(
        request,
        "submissions/entry_form.html",
        {"contest": contest, "form": form, "open": contest.accepts_entries()},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit(request, public_id):
    """The author's entry: its fields, its files, and the submit and withdraw buttons."""
    entry = _own_entry(request, public_id)
    contest = entry.contest
    form = EntryForm(request.POST or None, instance=entry, contest=contest)
    if request.method == "POST" and form.is_valid():
        try:
            entry = entries.save_draft(contest, request.user, form.cleaned_data, entry=entry)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("contests:entry_edit", public_id=entry.public_id)
        entry.refresh_from_db()
    return render(
        request,
        "submissions/entry_edit.html",
        {
            "contest": contest,
            "entry": entry,
            "form": form,
            "upload_form": UploadForm(),
            **_files_context(request, entry),
            "accepts_files": any(k != EntryKind.TEXT for k in contest.entry_kinds),
            "open": contest.accepts_entries() and entry.status != Entry.Status.WITHDRAWN,
            "needs_guardian": entries.needs_guardian(request.user),
            "display_step": _display_step(request.user),
        },
    )


def _files_context(request, entry: Entry) -> dict:
    """The entry's files with their check state, for the entry page and its files part."""
    files = list(entry.files.select_related("video", "replaces"))
    return {
        "files": [
            (
                f,
                file_url(request, f) if f.is_accepted else "",
                UploadForm(auto_id=f"id_replace_{f.pk}_%s"),
            )
            for f in files
        ],
        "checking": any(f.is_pending for f in files),
        "places_taken": sum(1 for f in files if f.takes_a_place),
    }


@never_cache
@login_required
@require_safe
def entry_files(request, public_id):
    """The file list of the entry page alone: the page's script (static/js/entry-files.js)
    fetches it while a file is being checked and shows the verdicts in place, so what the
    author is typing in the form stays."""
    entry = _own_entry(request, public_id)
    return render(
        request,
        "submissions/includes/entry_file_list.html",
        {
            "entry": entry,
            **_files_context(request, entry),
            "open": entry.contest.accepts_entries() and entry.status != Entry.Status.WITHDRAWN,
        },
    )


def _store_upload(request, entry, store, pending: str, accepted: str):
    """Checks the rate limit and the form, then calls `store(file)`; every refusal becomes a
    Chinese message and changes nothing. Answers with the entry's edit page, saying where
    the file's check stands: usually still running (`pending`); already decided where
    background work runs at once (the embedded default runs it after the commit)."""
    if ratelimit.increment("entry-upload", str(request.user.pk), 3600) > UPLOADS_PER_HOUR:
        messages.error(request, _("Too many uploads. Please try again in an hour."))
        return redirect("contests:entry_edit", public_id=entry.public_id)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    else:
        try:
            stored = store(form.cleaned_data["file"])
        except ValidationError as error:
            _message(request, error)
        else:
            now = EntryFile.objects.filter(pk=stored.pk).first() or stored
            if now.is_refused:
                messages.error(
                    request,
                    _("“%(name)s” was not accepted: %(reason)s")
                    % {"name": now.display_name, "reason": now.refusal_message},
                )
            else:
                messages.success(request, accepted if now.is_accepted else pending)
    return redirect("contests:entry_edit", public_id=entry.public_id)


@login_required
@require_POST
def upload(request, public_id):
    """Attach a file (a plain multipart form post: works without JavaScript)."""
    entry = _own_entry(request, public_id)
    return _store_upload(
        request,
        entry,
        lambda upload: entries.add_file(entry, request.user, upload),
        pending=_("The file is uploaded and is being checked."),
        accepted=_("The file is uploaded and accepted."),
    )


@login_required
@require_POST
def replace_file(request, public_id, file_id: int):
    """Replace one file by a new upload (a submitted entry keeps its file meanwhile)."""
    entry = _own_entry(request, public_id)
    entry_file = get_object_or_404(EntryFile, pk=file_id, entry=entry)
    return _store_upload(
        request,
        entry,
        lambda upload: entries.replace_file(entry_file, request.user, upload),
        pending=_(
            "The new file is uploaded and is being checked; the old one stays until it is accepted."
        ),
        accepted=_("The file is replaced."),
    )


@login_required
@require_POST
def remove_file(request, public_id, file_id: int):
    entry = _own_entry(request, public_id)
    entry_file = get_object_or_404(EntryFile, pk=file_id, entry=entry)
    try:
        entries.remove_file(entry_file, request.user)
    except ValidationError as error:
        _message(request, error)
    else:
        messages.success(request, _("The file is removed."))
    return redirect("contests:entry_edit", public_id=entry.public_id)


@login_required
@require_POST
def submit(request, public_id):
    """Submit (idempotent: a double tap shows the same receipt)."""
    entry = _own_entry(request, public_id)
    try:
        entries.submit_entry(entry, request.user)
    except ValidationError as error:
        _message(request, error)
        return redirect("contests:entry_edit", public_id=entry.public_id)
    return redirect("contests:entry_receipt", public_id=entry.public_id)


@login_required
@require_POST
def withdraw(request, public_id):
    entry = _own_entry(request, public_id)
    try:
        entries.withdraw_entry(entry, request.user)
    except ValidationError as error:
        _message(request, error)
        return redirect("contests:entry_edit", public_id=entry.public_id)
    messages.success(request, _("Your entry is withdrawn."))
    return redirect("contests:my_entries")


@never_cache
@login_required
def receipt(request, public_id):
    """The receipt (回执) with the entry number."""
    entry = _own_entry(request, public_id)
    if entry.status != Entry.Status.SUBMITTED:
        return redirect("contests:entry_edit", public_id=entry.public_id)
    return render(
        request,
        "submissions/entry_receipt.html",
        {"entry": entry, "display_step": _display_step(request.user)},
    )


@never_cache
@login_required
def my_entries(request):
    mine = (
        Entry.objects.filter(author=request.user)
        .exclude(status=Entry.Status.WITHDRAWN)
        .select_related("contest", "group")
        .order_by("-created_at")
    )
    entries = list(mine)
    certificates = {}
    for certificate in visible_certificates(request.user):
        certificates.setdefault(certificate.award.entry_id, []).append(certificate)
    for entry in entries:
        entry.my_certificates = certificates.get(entry.pk, [])
    return render(request, "submissions/my_entries.html", {"entries": entries})


# --- private entry files (rules and serving: files/) ---------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD"])
def entry_file(request, file_id: int):
    """The stored upload of an entry file (see `files.serving.serve`)."""
    return serving.serve(request, file_id, ORIGINAL)


@never_cache
@require_http_methods(["GET", "HEAD"])
def entry_file_video(request, file_id: int):
    """The phone-ready MP4 the transcoding pipeline made of an entry's video (see
    `files.serving.serve`)."""
    return serving.serve(request, file_id, VIDEO)


@never_cache
@require_http_methods(["GET", "HEAD"])
def entry_file_poster(request, file_id: int):
    """The poster frame of an entry's video (see `files.serving.serve`)."""
    return serving.serve(request, file_id, POSTER)
