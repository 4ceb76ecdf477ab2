"""Certificate images (A4 landscape PNG and PDF) and WeChat share cards, drawn with Pillow.

Drawn on request, never on the quiz's hot path, and kept in the cache: the cache is derived
(DESIGN.md rule 1), so an image that vanished is simply drawn again. Cache keys include
what the image shows (the certificate's issue time, the attempt's score, the site), so an
upgraded certificate is never served stale.

Fonts, QR codes and line breaking come from content/ (posters use the same): without a
CJK font nothing is drawn and `content.reach.posters.PosterFontMissing` is raised, and the
Wagtail dashboard already tells administrators what to install.
"""

import io

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw
from wagtail.models import Site

from competitions.core.certificates import layout as certificate_layout
from competitions.core.certificates.layout import CertificateFace
from competitions.core.certificates.names import name_to_print
from competitions.core.site_context import SiteContext, site_context
from content.reach.posters import BRAND, BRAND_LIGHT, INK, MUTED, WHITE
from content.reach.posters import cjk_font as font
from content.reach.qr import qr_image
from content.text_layout import wrap
from kepu.public_url import public_page_url

from ..models import Certificate, Quiz, QuizAttempt

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


def face(certificate: Certificate, context: SiteContext) -> CertificateFace:
    """What the certificate prints (call in the site's language)."""
    return CertificateFace(
        organiser=context.organiser,
        heading=_("Certificate"),
        name=name_to_print(certificate, certificate.holder_user),
        body=_(
            "took part in “%(quiz)s” and passed with %(score)s of %(max)s points "
            "(%(percent)s%%). This certificate is awarded in recognition."
        )
        % {
            "quiz": certificate.quiz_title,
            "score": certificate.score,
            "max": certificate.max_score,
            "percent": certificate.percent,
        },
        footer=(context.organiser,),
        issued_at=certificate.issued_at,
        code=certificate.display_code,
        verify_url=verification_url(certificate, context),
        title=certificate.quiz_title,
    )


KIND = certificate_layout.CertificateKind("quiz-certificate", face)


def _share_card_key(attempt: QuizAttempt, site_id: int | None) -> str:
    return f"quiz-share:{attempt.public_id}:{attempt.score}:{site_id}"


def cache_keys(certificates=(), attempts=()) -> list[str]:
    """Every cache key the drawn images of these certificates and attempts' share cards can
    be kept under (all formats and sites), so that deleting a participant's data drops them."""
    site_ids = [*Site.objects.values_list("pk", flat=True), None]
    keys = [key for certificate in certificates for key in KIND.cache_keys(certificate)]
    keys += [_share_card_key(attempt, site_id) for attempt in attempts for site_id in site_ids]
    return keys


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
