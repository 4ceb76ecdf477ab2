"""The part every certificate shares: details at the bottom left, the verification QR code
at the bottom right (quiz certificates and contest award certificates)."""

from collections.abc import Callable

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from content.posters import INK, MUTED
from content.posters import cjk_font as font
from content.qr import qr_image


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
