"""QR codes: SVG for the web, Pillow images for printed posters.

Error correction Q (25 %): posters at bus stops get scratched, stained and photographed at
an angle, and a short link keeps the code small enough that the extra redundancy is cheap.
"""

import io

import qrcode
import qrcode.image.svg
from PIL import Image
from qrcode.image.pil import PilImage

ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_Q
# The quiet zone the QR specification asks for, in modules.
BORDER = 4


def _qr(data: str, box_size: int = 10) -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=BORDER, box_size=box_size)
    qr.add_data(data)
    qr.make(fit=True)
    return qr


def qr_svg(data: str) -> bytes:
    """A standalone SVG document (one path, scalable, no inline style) encoding `data`."""
    qr = _qr(data)
    image = qr.make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_image(data: str, size: int) -> Image.Image:
    """A black-on-white RGB image of `data`, `size` pixels square (quiet zone included).

    Modules are whole pixels, so the code stays crisp in print; the image may be a few
    pixels smaller than `size`.
    """
    qr = _qr(data, box_size=1)
    box = max(1, size // (qr.modules_count + 2 * BORDER))
    qr.box_size = box
    return qr.make_image(image_factory=PilImage).get_image().convert("RGB")


def qr_png(data: str, size: int = 600) -> bytes:
    buffer = io.BytesIO()
    qr_image(data, size).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
