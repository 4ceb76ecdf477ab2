"""Printable A4 posters: title, lead image, the QR code of the poster's short link, organiser.

Drawn with Pillow at 300 dpi (2480 × 3508 pixels), saved as PNG (with its resolution, so
it prints at A4) or as a one-page A4 PDF. Chinese needs a CJK font from Debian
(fonts-noto-cjk or fonts-wqy-zenhei, see kepu/system_tools.py); without one the posters
are not drawn at all rather than printed with empty boxes.
"""

import io
import logging
from functools import lru_cache, wraps
from pathlib import Path

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps
from wagtail.models import Page

from kepu import system_tools

from ..models import OrganiserSettings
from ..text_layout import wrap
from .models import Poster
from .qr import qr_image
from .shortlinks import short_url

logger = logging.getLogger(__name__)

A4_MM = (210, 297)
DPI = 300
BRAND = (11, 92, 173)  # the site's theme colour (#0b5cad)
BRAND_LIGHT = (230, 238, 248)
INK = (26, 26, 26)
MUTED = (96, 96, 96)
WHITE = (255, 255, 255)


class PosterFontMissing(Exception):
    """No font with Chinese glyphs is installed; posters would print as empty boxes."""

    install_hint = "sudo apt-get install fonts-noto-cjk"


def font_missing_message() -> str:
    """What staff are told when something they asked for cannot be drawn without a CJK
    font: the package the administrator has to install."""
    return _("No Chinese font is installed on the server (%(hint)s).") % {
        "hint": PosterFontMissing.install_hint
    }


def answers_503_without_font(view):
    """Decorates a view that draws an image or PDF for a reader: when no CJK font is
    installed it answers the 503 error page ("try again later") instead of a 500."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PosterFontMissing:
            return render(
                request,
                "errors/error.html",
                {
                    "status": 503,
                    "title": _("Image temporarily unavailable"),
                    "message": _(
                        "The server cannot draw Chinese text yet, so the image cannot be made. "
                        "Please try again later or contact the organiser."
                    ),
                },
                status=503,
            )

    return wrapped


def a4_pixels(dpi: int = DPI) -> tuple[int, int]:
    return tuple(round(mm / 25.4 * dpi) for mm in A4_MM)


@lru_cache(maxsize=8)
def _face_index(path: str) -> int:
    """In a font collection, the Simplified Chinese face (Noto CJK bundles JP, KR, SC, TC)."""
    for index in range(10):
        try:
            family = ImageFont.truetype(path, 12, index=index).getname()[0] or ""
        except OSError:
            break
        if family.endswith(" SC"):
            return index
    return 0


def cjk_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = system_tools.cjk_font_path()
    if path is None:
        raise PosterFontMissing
    if bold and "Regular" in path:
        bold_path = path.replace("Regular", "Bold")
        if Path(bold_path).is_file():
            path = bold_path
    return ImageFont.truetype(path, size, index=_face_index(path))


def lead_image(page: Page):
    """The page's lead image (a Wagtail image), if its type has one and it is set."""
    return getattr(page.specific, "lead_image", None)


def open_lead_image(page: Page, size: tuple[int, int]) -> Image.Image | None:
    image = lead_image(page)
    if image is None:
        return None
    try:
        with image.open_file() as file:
            source = Image.open(file)
            source.draft("RGB", size)
            source = ImageOps.exif_transpose(source)
            if source.mode in ("RGBA", "LA", "P"):
                source = source.convert("RGBA")
                flat = Image.new("RGB", source.size, WHITE)
                flat.paste(source, mask=source.getchannel("A"))
                source = flat
            source = source.convert("RGB")
        centering = (0.5, 0.5)
        focal = image.get_focal_point()
        if focal is not None and image.width and image.height:
            centering = (focal.centroid.x / image.width, focal.centroid.y / image.height)
        return ImageOps.fit(source, size, Image.Resampling.LANCZOS, centering=centering)
    except (OSError, ValueError):
        logger.warning("poster lead image unreadable", extra={"page_id": page.pk})
        return None


def _centred(draw: ImageDraw.ImageDraw, box, text: str, font, fill) -> None:
    left, top, right, bottom = box
    draw.text(((left + right) / 2, (top + bottom) / 2), text, font=font, fill=fill, anchor="mm")


def render_poster(poster: Poster, dpi: int = DPI) -> Image.Image:
    """Draws the poster as an RGB image of A4 at `dpi`.

    Always in the site's language, whatever the editor's admin language. Raises
    PosterFontMissing when no CJK font is installed.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _draw_poster(poster, dpi)


def _draw_poster(poster: Poster, dpi: int) -> Image.Image:
    width, height = a4_pixels(dpi)

    def px(value: float) -> int:  # layout units are pixels at 300 dpi
        return round(value * dpi / 300)

    page = poster.page
    organiser = organiser_name(page)
    margin = px(160)
    canvas = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(canvas)

    # Header band: who invites the reader.
    header = px(280)
    draw.rectangle((0, 0, width, header), fill=BRAND)
    header_font = cjk_font(px(84), bold=True)
    header_text = wrap(organiser, header_font.getlength, width - 2 * margin, max_lines=1)
    draw.text((margin, header / 2), header_text[0], font=header_font, fill=WHITE, anchor="lm")

    # Lead image, edge to edge, or a branded block.
    image_box = (0, header, width, header + px(1420))
    picture = open_lead_image(page, (image_box[2] - image_box[0], image_box[3] - image_box[1]))
    if picture is not None:
        canvas.paste(picture, image_box[:2])
    else:
        draw.rectangle(image_box, fill=BRAND_LIGHT)
        _centred(draw, image_box, settings.WAGTAIL_SITE_NAME, cjk_font(px(260), bold=True), BRAND)

    # Title: as large as fits in three lines.
    top = image_box[3] + px(110)
    text_width = width - 2 * margin
    for size in (150, 130, 112, 96):
        title_font = cjk_font(px(size), bold=True)
        lines = wrap(page.title, title_font.getlength, text_width)
        if len(lines) <= 3:
            break
    lines = wrap(page.title, title_font.getlength, text_width, max_lines=3)
    line_height = round(title_font.size * 1.32)
    for number, line in enumerate(lines):
        draw.text((margin, top + number * line_height), line, font=title_font, fill=INK)

    # QR code of the short link, bottom left; the call to scan beside it.
    qr_size = px(880)
    qr = qr_image(short_url(poster), qr_size)
    qr_top = height - px(180) - qr.height
    canvas.paste(qr, (margin - px(40), qr_top))
    text_left = margin - px(40) + qr.width + px(60)
    text_width = width - margin - text_left
    call_font = cjk_font(px(104), bold=True)
    call = wrap(_("Scan to read"), call_font.getlength, text_width, max_lines=2)
    y = qr_top + px(190)
    for line in call:
        draw.text((text_left, y), line, font=call_font, fill=BRAND)
        y += round(call_font.size * 1.3)
    hint_font = cjk_font(px(58))
    for line in wrap(
        _("Open WeChat or your phone camera and point it at the code."),
        hint_font.getlength,
        text_width,
        max_lines=3,
    ):
        draw.text((text_left, y), line, font=hint_font, fill=MUTED)
        y += round(hint_font.size * 1.4)

    # Where it hangs (so the print shop and the editor can tell posters apart).
    small = cjk_font(px(42))
    location = wrap(poster.location, small.getlength, width - 2 * margin, max_lines=1)[0]
    draw.text(
        (margin, height - px(90)),
        f"{location} · {poster.code}",
        font=small,
        fill=MUTED,
        anchor="lm",
    )
    return canvas


def organiser_name(page: Page) -> str:
    site = page.get_site()
    name = OrganiserSettings.for_site(site).name if site else ""
    return name or settings.WAGTAIL_SITE_NAME


def poster_png(poster: Poster, dpi: int = DPI) -> bytes:
    """The poster as PNG, tagged with its resolution so it prints at A4 size."""
    buffer = io.BytesIO()
    render_poster(poster, dpi).save(buffer, format="PNG", dpi=(dpi, dpi), optimize=True)
    return buffer.getvalue()


def poster_pdf(poster: Poster, dpi: int = DPI) -> bytes:
    """The poster as a one-page PDF whose page is exactly A4."""
    buffer = io.BytesIO()
    render_poster(poster, dpi).save(
        buffer, format="PDF", resolution=float(dpi), quality=92, title=poster.page.title
    )
    return buffer.getvalue()


def poster_filename(poster: Poster, extension: str) -> str:
    return f"poster-{poster.page_id}-{poster.code}.{extension}"
