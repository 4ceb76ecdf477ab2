"""Certificate images (A4 landscape PNG and PDF) and WeChat share cards, drawn with Pillow.

Drawn on request, never on the quiz's hot path, and kept in the cache: the cache is derived
(DESIGN.md rule 1), so an image that vanished is simply drawn again. Cache keys include
what the image shows (the certificate's issue time, the attempt's score, the site), so an
upgraded certificate is never served stale.

Fonts, QR codes and line breaking come from content/ (posters use the same): without a
CJK font nothing is drawn and `content.posters.PosterFontMissing` is raised, and the
Wagtail dashboard already tells administrators what to install.
"""

import io

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw
from wagtail.models import Site

from competitions.core.certificate_layout import (
    CERTIFICATE_DPI,
    draw_footer,
    draw_holder_name,
    framed_page,
)
from competitions.core.certificate_names import name_key, name_to_print
from competitions.core.site_context import SiteContext, site_context
from content.posters import BRAND, BRAND_LIGHT, INK, MUTED, WHITE
from content.posters import cjk_font as font
from content.qr import qr_image
from content.text_layout import wrap
from kepu.public_url import public_page_url

from .models import Certificate, Quiz, QuizAttempt

SHARE_CARD_SIZE = (1080, 1440)


def verification_url(certificate: Certificate, context: SiteContext) -> str:
    """The absolute address of the certificate's public verification page (its QR code)."""
    return context.root_url + reverse("quizzes:certificate_verify", args=[certificate.code])


def quiz_public_url(quiz: Quiz, request) -> str:
    """The absolute address where the public takes `quiz` (the share card's QR code): its
    live QuizPage, else the site's home page."""
    page = quiz.pages.live().public().first()
    if page is not None:
        return public_page_url(page, request)
    return site_context(request).root_url + "/"


# --- certificate ------------------------------------------------------------------------------


def render_certificate(
    certificate: Certificate, context: SiteContext, dpi: int = CERTIFICATE_DPI
) -> Image.Image:
    """The certificate as an RGB image of A4 landscape at `dpi`, in the site's language.

    Raises PosterFontMissing when no CJK font is installed.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _draw_certificate(certificate, context, dpi)


def _draw_certificate(certificate: Certificate, context: SiteContext, dpi: int) -> Image.Image:
    canvas, draw, px = framed_page(dpi)
    width = canvas.width
    centre = width / 2
    text_width = width - 2 * px(260)

    organiser_font = font(px(58))
    organiser = wrap(context.organiser, organiser_font.getlength, text_width, max_lines=1)[0]
    draw.text((centre, px(250)), organiser, font=organiser_font, fill=MUTED, anchor="mm")
    draw.text(
        (centre, px(420)), _("Certificate"), font=font(px(150), bold=True), fill=BRAND, anchor="mm"
    )

    name = name_to_print(certificate, certificate.holder_user)
    draw_holder_name(draw, px, centre, 640, name, 96, text_width)

    body_font = font(px(62))
    body = _(
        "took part in “%(quiz)s” and passed with %(score)s of %(max)s points (%(percent)s%%). "
        "This certificate is awarded in recognition."
    ) % {
        "quiz": certificate.quiz_title,
        "score": certificate.score,
        "max": certificate.max_score,
        "percent": certificate.percent,
    }
    y = px(800)
    for line in wrap(body, body_font.getlength, text_width, max_lines=3):
        draw.text((centre, y), line, font=body_font, fill=INK, anchor="ma")
        y += round(body_font.size * 1.5)

    # Bottom: organiser and date on the left, QR code and certificate code on the right.
    issued = date_format(timezone.localdate(certificate.issued_at), "DATE_FORMAT")
    draw_footer(
        canvas,
        draw,
        px,
        [organiser, issued],
        certificate.display_code,
        verification_url(certificate, context),
    )
    return canvas


def certificate_png(
    certificate: Certificate, context: SiteContext, dpi: int = CERTIFICATE_DPI
) -> bytes:
    """The certificate as PNG, tagged with its resolution so it prints at A4."""
    buffer = io.BytesIO()
    render_certificate(certificate, context, dpi).save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


def certificate_pdf(
    certificate: Certificate, context: SiteContext, dpi: int = CERTIFICATE_DPI
) -> bytes:
    """The certificate as a one-page PDF whose page is exactly A4 landscape."""
    buffer = io.BytesIO()
    render_certificate(certificate, context, dpi).save(
        buffer, format="PDF", resolution=float(dpi), quality=92, title=certificate.quiz_title
    )
    return buffer.getvalue()


def _certificate_key(certificate: Certificate, file_format: str, site_id: int | None) -> str:
    return ":".join(
        [
            "quiz-certificate",
            certificate.code,
            file_format,
            str(certificate.issued_at.timestamp()),
            name_key(name_to_print(certificate, certificate.holder_user)),
            str(site_id),
        ]
    )


def _share_card_key(attempt: QuizAttempt, site_id: int | None) -> str:
    return f"quiz-share:{attempt.public_id}:{attempt.score}:{site_id}"


def cache_keys(certificates=(), attempts=()) -> list[str]:
    """Every cache key the drawn images of these certificates and attempts' share cards can
    be kept under (all formats and sites), so that deleting a participant's data drops them."""
    site_ids = [*Site.objects.values_list("pk", flat=True), None]
    keys = [
        _certificate_key(certificate, file_format, site_id)
        for certificate in certificates
        for file_format in ("png", "pdf")
        for site_id in site_ids
    ]
    keys += [_share_card_key(attempt, site_id) for attempt in attempts for site_id in site_ids]
    return keys


def cached_certificate_file(certificate: Certificate, file_format: str, request) -> bytes:
    """The certificate's PNG or PDF for this request's site, from the cache or drawn now."""
    context = site_context(request)
    key = _certificate_key(certificate, file_format, context.site_id)
    content = cache.get(key)
    if content is None:
        render = {"png": certificate_png, "pdf": certificate_pdf}[file_format]
        content = render(certificate, context)
        cache.set(key, content, settings.KEPU_CERTIFICATE_CACHE_SECONDS)
    return content


def certificate_filename(certificate: Certificate, file_format: str) -> str:
    return f"certificate-{certificate.code}.{file_format}"


# --- share card -------------------------------------------------------------------------------


def correct_counts(attempt: QuizAttempt) -> tuple[int, int]:
    """(questions answered correctly, questions drawn); the score when none were recorded."""
    if attempt.verdicts:
        return attempt.verdicts.count("1"), len(attempt.verdicts)
    return attempt.score or 0, attempt.max_score


def render_share_card(attempt: QuizAttempt, quiz_url: str, context: SiteContext) -> Image.Image:
    """A portrait card for WeChat Moments: result, quiz title, QR code of the quiz.

    No personal data: the card is meant to be posted publicly.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _draw_share_card(attempt, quiz_url, context)


def _draw_share_card(attempt: QuizAttempt, quiz_url: str, context: SiteContext) -> Image.Image:
    width, height = SHARE_CARD_SIZE
    margin = 90
    canvas = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(canvas)

    band = 170
    draw.rectangle((0, 0, width, band), fill=BRAND)
    header_font = font(46, bold=True)
    header = wrap(context.organiser, header_font.getlength, width - 2 * margin, max_lines=1)[0]
    draw.text((margin, band / 2), header, font=header_font, fill=WHITE, anchor="lm")

    draw.rectangle((0, band, width, 700), fill=BRAND_LIGHT)
    correct, total = correct_counts(attempt)
    draw.text((width / 2, 330), _("I got"), font=font(64), fill=INK, anchor="mm")
    draw.text(
        (width / 2, 470),
        _("%(correct)s / %(total)s right") % {"correct": correct, "total": total},
        font=font(120, bold=True),
        fill=BRAND,
        anchor="mm",
    )
    draw.text(
        (width / 2, 610),
        _("in this quiz. Can you beat me?"),
        font=font(52),
        fill=INK,
        anchor="mm",
    )

    title_font = font(64, bold=True)
    y = 760
    for line in wrap(attempt.quiz.title, title_font.getlength, width - 2 * margin, max_lines=2):
        draw.text((width / 2, y), line, font=title_font, fill=INK, anchor="ma")
        y += round(title_font.size * 1.35)

    qr = qr_image(quiz_url, 420)
    qr_top = height - 110 - qr.height
    canvas.paste(qr, (round((width - qr.width) / 2), qr_top))
    draw.text(
        (width / 2, height - 70),
        _("Scan to take the quiz"),
        font=font(44),
        fill=MUTED,
        anchor="mm",
    )
    return canvas


def cached_share_card(attempt: QuizAttempt, request) -> bytes:
    """The attempt's share card as PNG for this request's site, from the cache or drawn now."""
    context = site_context(request)
    key = _share_card_key(attempt, context.site_id)
    content = cache.get(key)
    if content is None:
        buffer = io.BytesIO()
        card = render_share_card(attempt, quiz_public_url(attempt.quiz, request), context)
        card.save(buffer, format="PNG")
        content = buffer.getvalue()
        cache.set(key, content, settings.KEPU_CERTIFICATE_CACHE_SECONDS)
    return content
