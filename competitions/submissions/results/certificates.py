"""Award certificates (获奖证书) as A4 landscape PNG and PDF with a verification QR code:
what they print (`face`), drawn by the one certificate layout
(competitions/core/certificates/layout.py) on request and cached per site.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from competitions.core.certificates import layout
from competitions.core.certificates.layout import CertificateFace
from competitions.core.certificates.names import name_to_print
from competitions.core.site_context import SiteContext

from ..models import AwardCertificate


def verification_url(certificate: AwardCertificate, context: SiteContext) -> str:
    """The absolute address of the certificate's public verification page (its QR code)."""
    return context.root_url + reverse("contests:award_certificate_verify", args=[certificate.code])


def face(certificate: AwardCertificate, context: SiteContext) -> CertificateFace:
    """What the certificate prints (call in the site's language)."""
    if certificate.holder == AwardCertificate.Holder.TEACHER:
        template = _(
            "advised the work “%(entry)s” (no. %(number)s), which won %(award)s in “%(contest)s”."
        )
    else:
        template = _("Your work “%(entry)s” (no. %(number)s) won %(award)s in “%(contest)s”.")
    return CertificateFace(
        organiser=context.organiser,
        heading=_("Award Certificate"),
        name=name_to_print(certificate, certificate.holder_user),
        body=template
        % {
            "entry": certificate.entry_title,
            "number": certificate.entry_number,
            "award": certificate.award_name,
            "contest": certificate.contest_title,
        },
        footer=(
            certificate.school_name,
            context.organiser,
        ),
        issued_at=certificate.issued_at,
        code=certificate.display_code,
        verify_url=verification_url(certificate, context),
        title=certificate.contest_title,
    )


KIND = layout.CertificateKind("award-certificate", face)
