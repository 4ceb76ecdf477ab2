"""Drift award certificates (获奖证书): what they print (`face`), drawn by the one
certificate layout (competitions/core/certificates/layout.py) on request and cached per
site, and what the shared verification page (competitions/core/certificates/verify.py)
shows. The QR code holds the verification page at the site's public address; the holder
chooses the printed name (competitions/core/certificates/names.py).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from competitions.core.certificates import layout
from competitions.core.certificates.layout import CertificateFace
from competitions.core.certificates.names import VERIFICATION_NOTE, name_to_print
from competitions.core.certificates.verify import VerifiedCertificate
from competitions.core.site_context import SiteContext
from kepu.public_url import public_url

from .models import DriftCertificate


def verification_url(certificate: DriftCertificate) -> str:
    """The certificate's verification page at the public address (its QR code)."""
    return public_url(reverse("bookdrift:certificate_verify", args=[certificate.code]))


def find(code: str) -> DriftCertificate | None:
    """The certificate of a published award with this code (typed in any case, with or
    without dashes), or None."""
    normalised = "".join(char for char in (code or "").upper() if char.isalnum())
    return (
        DriftCertificate.objects.select_related("award")
        .filter(code=normalised, award__published_at__isnull=False)
        .first()
    )


def lookup(code: str) -> VerifiedCertificate | None:
    """For the shared verification page: what the certificate prints, nothing more."""
    certificate = find(code)
    if certificate is None:
        return None
    return VerifiedCertificate(
        display_code=certificate.display_code,
        issued_at=certificate.issued_at,
        facts=[
            (_("Holder"), certificate.holder_name),
            (_("Award"), certificate.award_name),
            (_("Book drift"), certificate.campaign_title),
            (_("For"), certificate.detail),
        ],
        note=VERIFICATION_NOTE,
    )


def face(certificate: DriftCertificate, context: SiteContext) -> CertificateFace:
    """What the certificate prints (call in the site's language)."""
    return CertificateFace(
        organiser=context.organiser,
        heading=_("Award Certificate"),
        name=name_to_print(certificate, certificate.holder_user),
        body=_("won %(award)s in the book drift “%(campaign)s” (%(detail)s).")
        % {
            "award": certificate.award_name,
            "campaign": certificate.campaign_title,
            "detail": certificate.detail,
        },
        footer=(context.organiser,),
        issued_at=certificate.issued_at,
        code=certificate.display_code,
        verify_url=verification_url(certificate),
        title=certificate.campaign_title,
    )


KIND = layout.CertificateKind("bookdrift:certificate", face)
