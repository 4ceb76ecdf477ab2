"""The one certificate layout (quiz certificates, contest award certificates, book drift
award certificates): an A4 landscape page with a double frame, the organiser, a heading, the
holder's name underlined in gold, a paragraph saying what for, and a footer (details at the
bottom left, the verification QR code at the bottom right).

Each kind of certificate is a `CertificateKind`: how a row is worded as a `CertificateFace`.
The kind draws it as PNG (tagged with its resolution, so it prints at A4) or as a one-page
A4 PDF, in the site's language, and keeps what it drew in the cache
(`KEPU_CERTIFICATE_CACHE_SECONDS`; the cache is derived, an image that vanished is drawn
again) under keys that include what the image shows. Without a CJK font
`content.reach.posters.PosterFontMissing` is raised.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw
from wagtail.models import Site

from competitions.core.certificates.names import name_key, name_to_print
from competitions.core.site_context import SiteContext, site_context
from content.reach.posters import BRAND, INK, MUTED, WHITE, a4_pixels
from content.reach.posters import cjk_font as font
from content.reach.qr import qr_image
from content.text_layout import wrap
from kepu.days import local_day

FILE_FORMATS = ("png", "pdf")

CERTIFICATE_DPI = 200
GOLD = (176, 131, 44)


def framed_page(dpi: int) -> tuple[Image.Image, ImageDraw.ImageDraw, Callable[[float], int]]:
    """A white A4 landscape page at `dpi` with the certificate frame drawn, its drawing
    context, and `px`, which maps layout units (pixels at 200 dpi) to pixels."""
    height, width = a4_pixels(dpi)

    def px(value: float) -> int:
        return round(value * dpi / 200)

    canvas = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((px(50), px(50), width - px(50), height - px(50)), outline=BRAND, width=px(18))
    draw.rectangle((px(90), px(90), width - px(90), height - px(90)), outline=GOLD, width=px(4))
    return canvas, draw, px


def draw_holder_name(
    draw: ImageDraw.ImageDraw,
    px: Callable[[float], int],
    centre: float,
    y: float,
    name: str,
    size: float,
    text_width: float,
) -> None:
    """The holder's name, centred at height `y` (layout units) and underlined in gold; a long
    name is drawn smaller rather than running off the frame."""
    holder_font = font(px(size), bold=True)
    while holder_font.getlength(name) > text_width and holder_font.size > px(40):
        holder_font = font(holder_font.size - px(6), bold=True)
    draw.text((centre, px(y)), name, font=holder_font, fill=INK, anchor="mm")
    line_half = max(holder_font.getlength(name) / 2 + px(80), px(360))
    line_y = px(y) + round(holder_font.size * 0.72)
    draw.line((centre - line_half, line_y, centre + line_half, line_y), fill=GOLD, width=px(4))


def draw_footer(
    canvas: Image.Image,
    draw: ImageDraw.ImageDraw,
    px: Callable[[float], int],
    lines: list[str],
    code: str,
    verify_url: str,
) -> None:
    """Draws `lines` (bottom line last) and the certificate code on the left, and a QR code
    of `verify_url` with "scan to verify" on the right. `px` maps layout units to pixels."""
    width, height = canvas.size
    small = font(px(46))
    left = px(260)
    for offset, line in enumerate(reversed(lines), start=1):
        draw.text((left, height - px(190 + 70 * offset)), line, font=small, fill=INK)
    draw.text(
        (left, height - px(190)),
        _("Certificate no. %(code)s") % {"code": code},
        font=font(px(40)),
        fill=MUTED,
    )
    qr = qr_image(verify_url, px(400))
    qr_left = width - px(200) - qr.width
    qr_top = height - px(190) - qr.height
    canvas.paste(qr, (qr_left, qr_top))
    draw.text(
        (qr_left + qr.width / 2, qr_top + qr.height + px(10)),
        _("Scan to verify"),
        font=font(px(36)),
        fill=MUTED,
        anchor="ma",
    )


@dataclass(frozen=True)
class CertificateFace:
    """What a certificate prints, its words already in the site's language."""

    organiser: str
    heading: str  # "荣誉证书", "获奖证书"
    name: str  # the holder's name as it is printed
    body: str  # what the certificate is for, up to three lines
    footer: tuple[str, ...]  # bottom-left lines above the date (empty ones are left out)
    issued_at: datetime  # printed as the site's local date, the footer's last line
    code: str  # the certificate code as printed (with dashes)
    verify_url: str  # the public verification page (the QR code)
    title: str  # the PDF's document title


def draw_certificate(face: CertificateFace, dpi: int = CERTIFICATE_DPI) -> Image.Image:
    """`face` drawn on the certificate page at `dpi` (call it in the site's language)."""
    canvas, draw, px = framed_page(dpi)
    centre = canvas.width / 2
    text_width = canvas.width - 2 * px(260)
    organiser_font = font(px(58))
    organiser = wrap(face.organiser, organiser_font.getlength, text_width, max_lines=1)[0]
    draw.text((centre, px(240)), organiser, font=organiser_font, fill=MUTED, anchor="mm")
    draw.text(
        (centre, px(400)), face.heading, font=font(px(140), bold=True), fill=BRAND, anchor="mm"
    )
    draw_holder_name(draw, px, centre, 600, face.name, 92, text_width)
    body_font = font(px(60))
    y = px(740)
    for line in wrap(face.body, body_font.getlength, text_width, max_lines=3):
        draw.text((centre, y), line, font=body_font, fill=INK, anchor="ma")
        y += round(body_font.size * 1.5)
    issued = date_format(local_day(face.issued_at), "DATE_FORMAT")
    lines = [line for line in face.footer if line] + [issued]
    draw_footer(canvas, draw, px, lines, face.code, face.verify_url)
    return canvas


def encode(image: Image.Image, file_format: str, title: str, dpi: int = CERTIFICATE_DPI) -> bytes:
    """`image` as PNG tagged with its resolution, or as a one-page PDF exactly A4 landscape."""
    buffer = io.BytesIO()
    if file_format == "pdf":
        image.save(buffer, format="PDF", resolution=float(dpi), quality=92, title=title)
    else:
        image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


@dataclass(frozen=True)
class CertificateKind:
    """A kind of certificate (quiz, contest award, drift award): how its face is worded from
    one certificate row and the site, and the cache it is kept in. The row has `code`,
    `issued_at`, `holder_user` and the chosen-name fields (names.ChosenName)."""

    cache_prefix: str
    face: Callable[[Any, SiteContext], CertificateFace]

    def render(self, certificate, context: SiteContext, dpi: int = CERTIFICATE_DPI) -> Image.Image:
        """The certificate as an RGB image of A4 landscape at `dpi`, in the site's language."""
        with translation.override(settings.LANGUAGE_CODE):
            return draw_certificate(self.face(certificate, context), dpi)

    def file(self, certificate, file_format: str, context: SiteContext) -> bytes:
        """The certificate as PNG or PDF, drawn now (see `encode`)."""
        with translation.override(settings.LANGUAGE_CODE):
            face = self.face(certificate, context)
            return encode(draw_certificate(face), file_format, face.title)

    def cached_file(self, certificate, file_format: str, request) -> bytes:
        """The certificate's PNG or PDF for this request's site, from the cache or drawn now."""
        context = site_context(request)
        key = self.cache_key(certificate, file_format, context.site_id)
        content = cache.get(key)
        if content is None:
            content = self.file(certificate, file_format, context)
            cache.set(key, content, settings.KEPU_CERTIFICATE_CACHE_SECONDS)
        return content

    def cache_key(self, certificate, file_format: str, site_id: int | None) -> str:
        """What a drawn image shows is part of its key: issue time, printed name, site."""
        return ":".join(
            [
                self.cache_prefix,
                certificate.code,
                file_format,
                str(certificate.issued_at.timestamp()),
                name_key(name_to_print(certificate, certificate.holder_user)),
                str(site_id),
            ]
        )

    def cache_keys(self, certificate) -> list[str]:
        """Every key a drawn image of `certificate` with its current name can be kept under
        (both formats, all sites), so that choosing another name or deleting the holder's
        data can drop them."""
        site_ids = [*Site.objects.values_list("pk", flat=True), None]
        return [
            self.cache_key(certificate, file_format, site_id)
            for file_format in FILE_FORMATS
            for site_id in site_ids
        ]
