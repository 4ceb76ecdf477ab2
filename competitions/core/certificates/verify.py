"""The public verification page of every certificate (quiz certificates, award certificates).

The QR code printed on a certificate points at its app's own URL (/quiz/certificate/<code>/,
/contest/award-certificate/<code>/), so both URLs stay; each app gives `verify_view` a
lookup that turns a typed or scanned code into the facts the certificate shows, and this
module does the rest: one page, one "not found" answer, nothing more revealed than the
certificate itself prints.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

# A code longer than this is not echoed back in full on the "not found" page.
ECHOED_CODE_LENGTH = 40


@dataclass(frozen=True)
class VerifiedCertificate:
    """What the verification page shows: (label, value) facts in order, when it was issued,
    its code as printed, and an optional note (e.g. why the name is partly hidden)."""

    display_code: str
    issued_at: datetime.datetime
    facts: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""


CertificateLookup = Callable[[str], VerifiedCertificate | None]


def not_found(request, code: str):
    return render(
        request,
        "errors/error.html",
        {
            "status": 404,
            "title": _("Certificate not found"),
            "message": _(
                "No certificate has the code “%(code)s”. Check the code on the "
                "certificate: it has 12 letters and digits."
            )
            % {"code": code[:ECHOED_CODE_LENGTH]},
        },
        status=404,
    )


def verify_view(lookup: CertificateLookup):
    """A public view `(request, code)` answering whether a certificate with this code
    exists (page with its facts) or not (a 404 page naming the code)."""

    @require_safe
    def certificate_verify(request, code: str):
        certificate = lookup(code)
        if certificate is None:
            return not_found(request, code)
        return render(request, "competitions/certificate_verify.html", {"certificate": certificate})

    return certificate_verify
