"""What every certificate shares (quiz certificates and contest award certificates): the A4
landscape page with its double frame, and the footer (details at the bottom left, the
verification QR code at the bottom right)."""

from collections.abc import Callable

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from content.posters import BRAND, INK, MUTED, WHITE, a4_pixels
from content.posters import cjk_font as font
from content.qr import qr_image

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
