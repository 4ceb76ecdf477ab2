"""Finding a copy from a scanned or typed code: the one way every view gets a copy.

A code that does not exist answers with a clear message and, for a near miss (one
look-alike character, two neighbours swapped), the copy it most likely meant. Misses are
counted per address (`KEPU_DRIFT_LOOKUPS_PER_IP_PER_MINUTE`) so codes cannot be
enumerated; scanning real labels is never limited.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from kepu import ratelimit
from kepu.http import client_ip

from .. import codes
from ..models import BookCopy

MISS_SCOPE = "drift-code-miss"


class CopyNotFound(Exception):
    """No copy for this code; `response` explains (404 or 429)."""

    def __init__(self, response):
        super().__init__("copy not found")
        self.response = response


def visible_to(copy: BookCopy, user) -> bool:
    """Approved copies of public campaigns for everyone; a pending donation for its donor;
    everything for staff who manage copies."""
    if copy.approval == BookCopy.Approval.APPROVED and copy.campaign.is_public:
        return True
    if not user.is_authenticated:
        return False
    if copy.approval == BookCopy.Approval.PENDING and copy.donor_id == user.pk:
        return True
    return user.has_perm("bookdrift.change_bookcopy")


def find_copy(code: str) -> BookCopy | None:
    """The copy with this (normalised) code, with what its pages show, or None."""
    return (
        BookCopy.objects.select_related(
            "book", "book__cover", "campaign", "campaign__review_contest", "station"
        )
        .filter(code=code)
        .first()
    )


def suggested_copies(code: str) -> list[BookCopy]:
    """Public copies one plausible correction away from `code` (codes.suggestions)."""
    candidates = codes.suggestions(code)
    if not candidates:
        return []
    return list(
        BookCopy.objects.select_related("book", "campaign")
        .filter(
            code__in=candidates,
            approval=BookCopy.Approval.APPROVED,
            campaign__is_public=True,
        )
        .order_by("code")[:3]
    )


def not_found_page(request, typed: str, *, status: int = 404, message: str = ""):
    """The "no such copy" page, with suggestions for a near miss."""
    code = codes.normalise(typed)
    if ratelimit.increment(MISS_SCOPE, client_ip(request), 60) > (
        settings.KEPU_DRIFT_LOOKUPS_PER_IP_PER_MINUTE
    ):
        return render(
            request,
            "errors/error.html",
            {
                "status": 429,
                "title": _("Too many codes tried"),
                "message": _("Please wait a minute, then type the code again carefully."),
            },
            status=429,
        )
    if not message:
        if codes.is_well_formed(code):
            message = _("No book in the drift has the code %(code)s.") % {
                "code": codes.display(code)
            }
        else:
            message = _(
                "“%(code)s” is not a complete copy code. A code has 9 letters and digits, "
                "printed in three groups under the QR code (there is no 0, O, 1 or I)."
            ) % {"code": typed[:20]}
    return render(
        request,
        "bookdrift/copy_not_found.html",
        {"message": message, "suggestions": suggested_copies(code), "typed": typed[:40]},
        status=status,
    )


def copy_or_not_found(request, typed: str) -> BookCopy:
    """The copy for `typed` that this visitor may see, or raises CopyNotFound."""
    code = codes.normalise(typed)
    copy = find_copy(code) if codes.is_well_formed(code) else None
    if copy is None or not visible_to(copy, request.user):
        raise CopyNotFound(not_found_page(request, typed))
    return copy


def copy_view(view):
    """Decorates `view(request, copy, …)` taking the URL's code; unknown codes get the
    not-found page."""

    @wraps(view)
    def wrapped(request, code: str, *args, **kwargs):
        try:
            copy = copy_or_not_found(request, code)
        except CopyNotFound as missing:
            return missing.response
        return view(request, copy, *args, **kwargs)

    return wrapped
