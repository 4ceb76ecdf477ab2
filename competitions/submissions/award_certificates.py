"""Award certificates (获奖证书) as A4 landscape PNG and PDF with a verification QR code.

Drawn on request and cached like quiz certificates (competitions/quizzes/certificate_images.py):
fonts, QR codes and line breaking come from content/, the site context from
competitions/core/site_context.py. Without a CJK font `content.posters.PosterFontMissing`
is raised.
"""

import io

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image
from wagtail.models import Site

from competitions.core.certificate_layout import (
    CERTIFICATE_DPI,
    draw_footer,
    draw_holder_name,
    framed_page,
)
from competitions.core.certificate_names import name_key, name_to_print
from competitions.core.site_context import SiteContext, site_context
from content.posters import BRAND, INK, MUTED
from content.posters import cjk_font as font
from content.text_layout import wrap

from .models import AwardCertificate


def verification_url(certificate: AwardCertificate, context: SiteContext) -> str:
    """The absolute address of the certificate's public verification page (its QR code)."""
    return context.root_url + reverse("contests:award_certificate_verify", args=[certificate.code])


def render_certificate(
    certificate: AwardCertificate, context: SiteContext, dpi: int = CERTIFICATE_DPI
) -> Image.Image:
    """The certificate as an RGB image of A4 landscape at `dpi`, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _draw(certificate, context, dpi)


def _draw(certificate: AwardCertificate, context: SiteContext, dpi: int) -> Image.Image:
    canvas, draw, px = framed_page(dpi)
    width = canvas.width
    centre = width / 2
    text_width = width - 2 * px(260)

    organiser_font = font(px(58))
    organiser = wrap(context.organiser, organiser_font.getlength, text_width, max_lines=1)[0]
    draw.text((centre, px(240)), organiser, font=organiser_font, fill=MUTED, anchor="mm")
    draw.text(
        (centre, px(400)),
        _("Award Certificate"),
        font=font(px(140), bold=True),
        fill=BRAND,
        anchor="mm",
    )
    name = name_to_print(certificate, certificate.holder_user)
    draw_holder_name(draw, px, centre, 600, name, 92, text_width)

    if certificate.holder == AwardCertificate.Holder.TEACHER:
        template = _(
            "advised the work “%(entry)s” (no. %(number)s), which won %(award)s in “%(contest)s”."
        )
    else:
        template = _("Your work “%(entry)s” (no. %(number)s) won %(award)s in “%(contest)s”.")
    body = template % {
        "entry": certificate.entry_title,
        "number": certificate.entry_number,
        "award": certificate.award_name,
        "contest": certificate.contest_title,
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
        [certificate.school_name, organiser, issued],
        certificate.display_code,
        verification_url(certificate, context),
    )
    return canvas


def certificate_file(
    certificate: AwardCertificate, file_format: str, context: SiteContext
) -> bytes:
    """The certificate as PNG (tagged with its resolution) or as a one-page A4 PDF."""
    buffer = io.BytesIO()
    image = render_certificate(certificate, context)
    if file_format == "pdf":
        image.save(
            buffer,
            format="PDF",
            resolution=float(CERTIFICATE_DPI),
            quality=92,
            title=certificate.contest_title,
        )
    else:
        image.save(buffer, format="PNG", dpi=(CERTIFICATE_DPI, CERTIFICATE_DPI))
    return buffer.getvalue()


FILE_FORMATS = ("png", "pdf")


def _cache_key(certificate: AwardCertificate, file_format: str, site_id: int | None) -> str:
    return ":".join(
        [
            "award-certificate",
            certificate.code,
            file_format,
            str(certificate.issued_at.timestamp()),
            name_key(name_to_print(certificate, certificate.holder_user)),
            str(site_id),
        ]
    )


def cache_keys(certificate: AwardCertificate) -> list[str]:
    """Every cache key a drawn image of `certificate` can be kept under (all formats and
    sites), so that deleting its holder's data can drop them."""
    site_ids = [*Site.objects.values_list("pk", flat=True), None]
    return [_cache_key(certificate, f, site_id) for f in FILE_FORMATS for site_id in site_ids]


def cached_certificate_file(certificate: AwardCertificate, file_format: str, request) -> bytes:
    """The certificate's PNG or PDF for this request's site, from the cache or drawn now."""
    context = site_context(request)
    key = _cache_key(certificate, file_format, context.site_id)
    content = cache.get(key)
    if content is None:
        content = certificate_file(certificate, file_format, context)
        cache.set(key, content, settings.KEPU_CERTIFICATE_CACHE_SECONDS)
    return content
