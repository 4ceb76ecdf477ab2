"""The share card of a page: a portrait picture people save and post to WeChat Moments.

Shows the organiser, the page's lead image, its title and summary, and a QR code of the page's
public address (kepu/public_url.py). Nothing personal. Drawn on request and cached, keyed by
what it shows, so a republished page gets a new card.
"""

import hashlib
import io

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw
from wagtail.models import Page

from content.reach.posters import (
    BRAND,
    BRAND_LIGHT,
    INK,
    MUTED,
    WHITE,
    cjk_font,
    open_lead_image,
    organiser_name,
)
from content.reach.qr import qr_image
from content.text_layout import wrap
from kepu.public_url import public_page_url

SIZE = (1080, 1440)
MARGIN = 80


def summary_of(page: Page) -> str:
    specific = page.specific
    return (getattr(specific, "summary", "") or page.search_description or "").strip()


def render_page_card(page: Page) -> Image.Image:
    """Draws the card; raises content.reach.posters.PosterFontMissing without a CJK font."""
    with translation.override(settings.LANGUAGE_CODE):
        return _draw(page)


def _draw(page: Page) -> Image.Image:
    width, height = SIZE
    text_width = width - 2 * MARGIN
    canvas = Image.new("RGB", SIZE, WHITE)
    draw = ImageDraw.Draw(canvas)

    band = 150
    draw.rectangle((0, 0, width, band), fill=BRAND)
    organiser_font = cjk_font(46, bold=True)
    organiser = wrap(organiser_name(page), organiser_font.getlength, text_width, max_lines=1)[0]
    draw.text((MARGIN, band / 2), organiser, font=organiser_font, fill=WHITE, anchor="lm")

    picture_box = (0, band, width, band + 560)
    picture = open_lead_image(page, (width, picture_box[3] - picture_box[1]))
    if picture is not None:
        canvas.paste(picture, picture_box[:2])
    else:
        draw.rectangle(picture_box, fill=BRAND_LIGHT)
        draw.text(
            (width / 2, (picture_box[1] + picture_box[3]) / 2),
            settings.WAGTAIL_SITE_NAME,
            font=cjk_font(120, bold=True),
            fill=BRAND,
            anchor="mm",
        )

    y = picture_box[3] + 50
    title_font = cjk_font(64, bold=True)
    for line in wrap(page.title, title_font.getlength, text_width, max_lines=2):
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += round(title_font.size * 1.35)
    summary_font = cjk_font(40)
    for line in wrap(summary_of(page), summary_font.getlength, text_width, max_lines=2):
        draw.text((MARGIN, y + 10), line, font=summary_font, fill=MUTED)
        y += round(summary_font.size * 1.5)

    qr = qr_image(public_page_url(page), 300)
    qr_top = height - 60 - qr.height
    canvas.paste(qr, (MARGIN - 20, qr_top))
    left = MARGIN - 20 + qr.width + 40
    call_font = cjk_font(48, bold=True)
    draw.text((left, qr_top + 90), _("Press and hold to read"), font=call_font, fill=BRAND)
    hint_font = cjk_font(34)
    for number, line in enumerate(
        wrap(
            _("Or scan the code with WeChat."),
            hint_font.getlength,
            width - MARGIN - left,
            max_lines=2,
        )
    ):
        draw.text((left, qr_top + 170 + number * 48), line, font=hint_font, fill=MUTED)
    return canvas


def page_card_png(page: Page) -> bytes:
    """The page's card as PNG, from the cache or drawn now."""
    shown = "|".join(
        [
            page.title,
            summary_of(page),
            public_page_url(page),
            str(page.last_published_at),
            str(getattr(page.specific, "lead_image_id", "")),
        ]
    )
    key = f"share:card:{page.pk}:{hashlib.sha256(shown.encode()).hexdigest()[:16]}"
    content = cache.get(key)
    if content is None:
        buffer = io.BytesIO()
        render_page_card(page).save(buffer, format="PNG", optimize=True)
        content = buffer.getvalue()
        cache.set(key, content, settings.KEPU_CERTIFICATE_CACHE_SECONDS)
    return content
