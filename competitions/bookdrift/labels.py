"""QR labels (二维码标签) for copies: one label as a 300 dpi PNG, or A4 sheets as a PDF.

A label carries the QR code of the copy's page at the site's public address
(`kepu.public_url.public_url`, never the request's host or a Site record), the book's title,
the copy code in groups of three and one line of instructions. Labels are drawn at 300 dpi
with the CJK font posters use, in black and white: sheets are saved as bilevel images
(CCITT G4 in the PDF), crisp for laser printers and small (a page of 24 labels is about
40 KB). Layouts (columns × rows, label size, margins, gaps) are organisers' data
(LabelLayout); one that does not fit on A4 is refused before anything is drawn.

Sheets for many copies take a while (about 0.2 s a page), so they are drawn by a Celery task
through the outbox into private storage (`request_sheet` → `build_sheet`); a single label
is drawn on request.
"""

import io
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from content.reach.posters import PosterFontMissing, cjk_font, font_missing_message
from content.reach.qr import qr_image
from content.text_layout import wrap
from kepu.public_url import public_url
from outbox.jobs import job
from outbox.services import enqueue

from .models import BookCopy, DriftCampaign, LabelLayout, LabelSheet

logger = logging.getLogger(__name__)

DPI = 300
A4_PX = (2480, 3508)
PAD_MM = Decimal("2.5")
BUILD_TARGET = "bookdrift.build_label_sheet"
MAX_LABELS_PER_SHEET_REQUEST = 5000


def mm(value) -> int:
    """Millimetres as pixels at 300 dpi."""
    return round(float(value) * DPI / 25.4)


def copy_url(copy: BookCopy) -> str:
    """The absolute address a copy's QR code holds."""
    return public_url(copy.path)


def default_layout() -> LabelLayout:
    """The default layout (the seeded "A4 3 × 8, 70 × 37 mm"), or the first one."""
    layout = LabelLayout.objects.filter(is_default=True).first() or LabelLayout.objects.first()
    if layout is None:
        layout = LabelLayout.objects.create(name="A4 3 × 8（70 × 37 mm）", is_default=True)
    return layout


def check_layout(layout: LabelLayout) -> None:
    """Raises ValidationError (Chinese messages) when the layout does not fit on A4."""
    layout.clean()


def render_label(copy: BookCopy, layout: LabelLayout, outline: bool = False) -> Image.Image:
    """One label of `layout`'s size at 300 dpi, grayscale ("L"). Raises PosterFontMissing
    without a CJK font."""
    with translation.override("zh-hans"):
        return _draw_label(copy, layout, outline)


def _draw_label(copy: BookCopy, layout: LabelLayout, outline: bool) -> Image.Image:
    width, height = mm(layout.label_width_mm), mm(layout.label_height_mm)
    label = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(label)
    pad = mm(PAD_MM)
    if outline:
        draw.rectangle((0, 0, width - 1, height - 1), outline=0, width=2)
    qr_side = min(height - 2 * pad, width // 2)
    qr = qr_image(copy_url(copy), qr_side).convert("L")
    label.paste(qr, (pad, (height - qr.height) // 2))
    left = pad + qr.width + pad // 2
    text_width = width - left - pad
    top = pad + mm("0.5")
    bottom = height - pad

    code_font = cjk_font(max(mm("3.6"), 24), bold=True)
    while code_font.getlength(copy.display_code) > text_width and code_font.size > 16:
        code_font = cjk_font(code_font.size - 2, bold=True)
    hint_font = cjk_font(max(mm("2.3"), 16))
    hint = wrap(
        _("Scan to catch it; pass it on when you have read it"),
        hint_font.getlength,
        text_width,
        max_lines=2,
    )
    hint_height = len(hint) * round(hint_font.size * 1.25)
    code_top = bottom - hint_height - round(code_font.size * 1.3)

    title_font = cjk_font(max(mm("3.2"), 20), bold=True)
    line_height = round(title_font.size * 1.25)
    max_lines = max(1, (code_top - top) // line_height)
    for line in wrap(copy.book.title, title_font.getlength, text_width, max_lines=max_lines):
        draw.text((left, top), line, font=title_font, fill=0)
        top += line_height
    draw.text((left, code_top), copy.display_code, font=code_font, fill=0)
    y = bottom - hint_height
    for line in hint:
        draw.text((left, y), line, font=hint_font, fill=0)
        y += round(hint_font.size * 1.25)
    return label


def label_png(copy: BookCopy, layout: LabelLayout | None = None) -> bytes:
    """One label as PNG, tagged 300 dpi so it prints at its real size."""
    layout = layout or default_layout()
    check_layout(layout)
    buffer = io.BytesIO()
    render_label(copy, layout).save(buffer, format="PNG", dpi=(DPI, DPI), optimize=True)
    return buffer.getvalue()


def _bilevel(image: Image.Image) -> Image.Image:
    return image.point(lambda value: 0 if value < 128 else 255, "1")


def render_pages(
    copies: list[BookCopy], layout: LabelLayout, skip: int = 0, outline: bool = False
) -> list[Image.Image]:
    """A4 pages (bilevel, 300 dpi) with the labels of `copies` in reading order, the first
    `skip` places of the first page left empty (labels already used)."""
    check_layout(layout)
    per_page = layout.per_page
    skip = max(0, min(skip, per_page - 1))
    pages: list[Image.Image] = []
    page = None
    for position, copy in enumerate(copies, start=skip):
        slot = position % per_page
        if page is None or (slot == 0 and position != skip):
            if page is not None:
                pages.append(_bilevel(page))
            page = Image.new("L", A4_PX, 255)
        row, column = divmod(slot, layout.columns)
        x = mm(layout.margin_left_mm + column * (layout.label_width_mm + layout.gap_x_mm))
        y = mm(layout.margin_top_mm + row * (layout.label_height_mm + layout.gap_y_mm))
        page.paste(render_label(copy, layout, outline), (x, y))
    if page is not None:
        pages.append(_bilevel(page))
    return pages


def sheet_pdf(
    copies: list[BookCopy], layout: LabelLayout, skip: int = 0, outline: bool = False
) -> tuple[bytes, int]:
    """(PDF bytes, number of pages) of label sheets for `copies`: A4 pages at 300 dpi."""
    pages = render_pages(copies, layout, skip, outline)
    if not pages:
        raise ValidationError(_("There are no copies to print."))
    buffer = io.BytesIO()
    pages[0].save(
        buffer,
        format="PDF",
        resolution=float(DPI),
        save_all=True,
        append_images=pages[1:],
        title=_("Drift labels"),
    )
    return buffer.getvalue(), len(pages)


def printable_copies(campaign: DriftCampaign):
    """Copies of `campaign` that may get a label: approved, still drifting or registered."""
    return (
        BookCopy.objects.filter(campaign=campaign, approval=BookCopy.Approval.APPROVED)
        .exclude(state=BookCopy.State.WITHDRAWN)
        .select_related("book")
        .order_by("book__title", "number")
    )


def request_sheet(
    campaign: DriftCampaign,
    copies,
    layout: LabelLayout,
    *,
    by,
    skip: int = 0,
    outline: bool = False,
    description: str = "",
) -> LabelSheet:
    """Records a sheet for `copies` (of `campaign`, printable) and asks for it to be drawn
    after commit. Refuses (ValidationError, nothing recorded) a layout that does not fit on
    A4, copies of another campaign, no copies, or more than 5000 labels at once."""
    check_layout(layout)
    ids = list(copies.values_list("pk", flat=True))
    if not ids:
        raise ValidationError(_("There are no copies to print."))
    if len(ids) > MAX_LABELS_PER_SHEET_REQUEST:
        raise ValidationError(
            _("At most %(limit)s labels at a time, please.")
            % {"limit": MAX_LABELS_PER_SHEET_REQUEST}
        )
    if printable_copies(campaign).filter(pk__in=ids).count() != len(ids):
        raise ValidationError(_("Some of these copies belong to another drift or are withdrawn."))
    with transaction.atomic():
        sheet = LabelSheet.objects.create(
            campaign=campaign,
            layout=layout,
            copy_ids=ids,
            skip=max(0, min(skip, layout.per_page - 1)),
            description=(description or "")[:200],
            requested_by=by,
        )
        enqueue(BUILD_TARGET, sheet.pk, outline)
    return sheet


@job(BUILD_TARGET)
def build_sheet(sheet_id: int, outline: bool = False) -> bool:
    """Draws a requested sheet into private storage. Idempotent: a ready sheet is left as
    it is. A failure (no CJK font, a layout changed to one that does not fit) is recorded
    on the sheet for the organisers. Returns whether it drew the sheet."""
    sheet = LabelSheet.objects.select_related("layout", "campaign").filter(pk=sheet_id).first()
    if sheet is None or sheet.status == LabelSheet.Status.READY:
        return False
    order = {pk: index for index, pk in enumerate(sheet.copy_ids)}
    copies = sorted(
        BookCopy.objects.filter(pk__in=sheet.copy_ids).select_related("book"),
        key=lambda copy: order[copy.pk],
    )
    try:
        content, pages = sheet_pdf(copies, sheet.layout, sheet.skip, outline)
    except Exception as error:
        if isinstance(error, PosterFontMissing):
            message = font_missing_message()
        elif isinstance(error, ValidationError):
            message = " ".join(error.messages)
        else:
            logger.exception("bookdrift: label sheet %s failed", sheet_id)
            raise
        LabelSheet.objects.filter(pk=sheet_id).update(
            status=LabelSheet.Status.FAILED, error=message[:300], finished_at=timezone.now()
        )
        return False
    name = f"labels-{sheet.campaign.slug}-{sheet.pk}.pdf"
    sheet.file.save(name, ContentFile(content), save=False)
    LabelSheet.objects.filter(pk=sheet_id).update(
        file=sheet.file.name,
        pages=pages,
        status=LabelSheet.Status.READY,
        error="",
        finished_at=timezone.now(),
    )
    return True
