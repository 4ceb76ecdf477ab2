"""The "为我投票" share card of an entry: a portrait PNG with a QR code of its vote page.

Shows only what may be public without the guardian's display consent: the contest, the
entry number and the title (no author, school or work). Drawn on request and cached
briefly; fonts, QR codes and line breaking come from content/ like posters do.
"""

import hashlib
import io

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from competitions.submissions.models import Entry
from content.reach.posters import BRAND, BRAND_LIGHT, INK, MUTED, WHITE, cjk_font
from content.reach.qr import qr_image
from content.text_layout import wrap

from .services import shown_title

SIZE = (1080, 1440)


def render_share_card(entry: Entry, vote_url: str) -> Image.Image:
    with translation.override(settings.LANGUAGE_CODE):
        return _draw(entry, vote_url)


def _draw(entry: Entry, vote_url: str) -> Image.Image:
    width, height = SIZE
    margin = 90
    canvas = Image.new("RGB", SIZE, WHITE)
    draw = ImageDraw.Draw(canvas)

    band = 200
    draw.rectangle((0, 0, width, band), fill=BRAND)
    contest_font = cjk_font(48, bold=True)
    contest = wrap(entry.contest.title, contest_font.getlength, width - 2 * margin, max_lines=1)
    draw.text((width / 2, band / 2), contest[0], font=contest_font, fill=WHITE, anchor="mm")

    draw.rectangle((0, band, width, 560), fill=BRAND_LIGHT)
    draw.text(
        (width / 2, 310), _("Vote for me"), font=cjk_font(110, bold=True), fill=BRAND, anchor="mm"
    )
    draw.text(
        (width / 2, 460),
        _("Entry %(number)s") % {"number": entry.display_number},
        font=cjk_font(56),
        fill=INK,
        anchor="mm",
    )
    title_font = cjk_font(60, bold=True)
    y = 620
    for line in wrap(shown_title(entry), title_font.getlength, width - 2 * margin, max_lines=2):
        draw.text((width / 2, y), line, font=title_font, fill=INK, anchor="ma")
        y += round(title_font.size * 1.35)

    qr = qr_image(vote_url, 460)
    canvas.paste(qr, (round((width - qr.width) / 2), height - 120 - qr.height))
    draw.text(
        (width / 2, height - 75), _("Scan to vote"), font=cjk_font(44), fill=MUTED, anchor="mm"
    )
    return canvas


def cache_key(entry_id: int) -> str:
    """The one cache key of an entry's card (deleting the author's data drops it)."""
    return f"voting:card:{entry_id}"


def share_card_png(entry: Entry, vote_url: str) -> bytes:
    """The card as PNG, from the cache (while it still shows the same) or drawn now."""
    shown = f"{shown_title(entry)}|{entry.contest.title}|{vote_url}".encode()
    fingerprint = hashlib.sha256(shown).hexdigest()[:16]
    cached = cache.get(cache_key(entry.pk))
    if isinstance(cached, tuple) and cached[0] == fingerprint:
        return cached[1]
    buffer = io.BytesIO()
    render_share_card(entry, vote_url).save(buffer, format="PNG")
    content = buffer.getvalue()
    cache.set(cache_key(entry.pk), (fingerprint, content), settings.KEPU_CERTIFICATE_CACHE_SECONDS)
    return content
