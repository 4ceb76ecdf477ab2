"""Drift award certificates (获奖证书): the shared certificate engine's A4 landscape page
(competitions/core/certificate_layout.py) and verification view
(competitions/core/certificate_verify.py), with this app's words.

The QR code holds the verification page at the site's public address. Images are drawn on
request and cached (`KEPU_CERTIFICATE_CACHE_SECONDS`); without a CJK font
`content.posters.PosterFontMissing` is raised.
"""

import hashlib
import io

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image

from competitions.core.certificate_layout import CERTIFICATE_DPI, GOLD, draw_footer, framed_page
from competitions.core.certificate_verify import VerifiedCertificate
from content.posters import BRAND, INK, MUTED
from content.posters import cjk_font as font
from content.text_layout import wrap
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
        note=_("Names are partly hidden on certificates and on this page."),
    )


def render(
    certificate: DriftCertificate, organiser: str, dpi: int = CERTIFICATE_DPI
) -> Image.Image:
    """The certificate as an A4 landscape image at `dpi`, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _draw(certificate, organiser, dpi)


def _draw(certificate: DriftCertificate, organiser: str, dpi: int) -> Image.Image:
    canvas, draw, px = framed_page(dpi)
    centre = canvas.width / 2
    text_width = canvas.width - 2 * px(260)
    organiser_font = font(px(58))
    organiser = wrap(organiser, organiser_font.getlength, text_width, max_lines=1)[0]
    draw.text((centre, px(240)), organiser, font=organiser_font, fill=MUTED, anchor="mm")
    draw.text(
        (centre, px(400)),
        _("Award Certificate"),
        font=font(px(140), bold=True),
        fill=BRAND,
        anchor="mm",
    )
    holder_font = font(px(92), bold=True)
    draw.text((centre, px(600)), certificate.holder_name, font=holder_font, fill=INK, anchor="mm")
    half = max(holder_font.getlength(certificate.holder_name) / 2 + px(80), px(360))
    draw.line((centre - half, px(665), centre + half, px(665)), fill=GOLD, width=px(4))
    body = _("won %(award)s in the book drift “%(campaign)s” (%(detail)s).") % {
        "award": certificate.award_name,
        "campaign": certificate.campaign_title,
        "detail": certificate.detail,
    }
    body_font = font(px(60))
    y = px(740)
    for line in wrap(body, body_font.getlength, text_width, max_lines=3):
        draw.text((centre, y), line, font=body_font, fill=INK, anchor="ma")
        y += round(body_font.size * 1.5)
    issued = date_format(timezone.localdate(certificate.issued_at), "DATE_FORMAT")
    draw_footer(
        canvas,
        draw,
        px,
        [organiser, issued],
        certificate.display_code,
        verification_url(certificate),
    )
    return canvas


def certificate_file(certificate: DriftCertificate, file_format: str, organiser: str) -> bytes:
    """The certificate as PNG (tagged with its resolution) or as a one-page A4 PDF,
    from the cache or drawn now."""
    issued = certificate.issued_at.timestamp()
    shown = hashlib.sha256(organiser.encode()).hexdigest()[:12]
    key = f"bookdrift:certificate:{certificate.code}:{file_format}:{issued}:{shown}"
    content = cache.get(key)
    if content is None:
        buffer = io.BytesIO()
        image = render(certificate, organiser)
        if file_format == "pdf":
            image.save(
                buffer,
                format="PDF",
                resolution=float(CERTIFICATE_DPI),
                quality=92,
                title=certificate.campaign_title,
            )
        else:
            image.save(buffer, format="PNG", dpi=(CERTIFICATE_DPI, CERTIFICATE_DPI))
        content = buffer.getvalue()
        cache.set(key, content, settings.KEPU_CERTIFICATE_CACHE_SECONDS)
    return content
