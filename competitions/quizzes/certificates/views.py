"""Certificate verification and downloads, and the WeChat share card of an attempt.

The verification page (competitions/core/certificates/verify.py) is public and shows only
what the certificate shows (the holder's name is masked when issued). Downloads and share
cards are drawn on request for their owner (competitions/quizzes/certificates/images.py)
and cached.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from competitions.core.certificates.names import VERIFICATION_NOTE, choose_name_view
from competitions.core.certificates.verify import VerifiedCertificate, verify_view
from content.reach.posters import answers_503_without_font

from ..models import Certificate, QuizAttempt
from ..models.certificates import normalise_certificate_code
from . import images


def _find_certificate(code: str) -> Certificate | None:
    return Certificate.objects.filter(code=normalise_certificate_code(code)).first()


def verified_certificate(code: str) -> VerifiedCertificate | None:
    """What the public verification page shows of a quiz certificate: the quiz, the
    holder's name as printed (masked when issued) and the score."""
    certificate = _find_certificate(code)
    if certificate is None:
        return None
    score = _("%(score)s of %(max)s points (%(percent)s%%)") % {
        "score": certificate.score,
        "max": certificate.max_score,
        "percent": certificate.percent,
    }
    return VerifiedCertificate(
        display_code=certificate.display_code,
        issued_at=certificate.issued_at,
        facts=[
            (_("Quiz"), certificate.quiz_title),
            (_("Holder"), certificate.holder_name),
            (_("Score"), score),
        ],
        note=VERIFICATION_NOTE,
    )


# Public: whether a certificate with this code exists, and what it certifies.
certificate_verify = verify_view(verified_certificate)

# The holder chooses the name printed (competitions/core/certificates/names.py).
choose_certificate_name = choose_name_view(
    _find_certificate,
    redirect_to=lambda certificate: reverse("quizzes:result", args=[certificate.attempt.public_id]),
    cache_keys=images.KIND.cache_keys,
)


@never_cache
@login_required
@require_safe
@answers_503_without_font
def certificate_download(request, code: str, file_format: str):
    """The certificate as a PNG or PDF attachment, for its holder and for staff."""
    certificate = _find_certificate(code)
    if certificate is None:
        raise Http404
    if certificate.attempt.user_id != request.user.pk and not request.user.is_staff:
        raise PermissionDenied
    content = images.KIND.cached_file(certificate, file_format, request)
    content_type = {"png": "image/png", "pdf": "application/pdf"}[file_format]
    response = HttpResponse(content, content_type=content_type)
    filename = images.certificate_filename(certificate, file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_safe
@answers_503_without_font
def share_card(request, public_id):
    """The attempt's share card (PNG, shown inline so WeChat can save it), for its taker."""
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("quiz").exclude(status=QuizAttempt.Status.IN_PROGRESS),
        public_id=public_id,
    )
    if attempt.user_id != request.user.pk:
        raise PermissionDenied
    content = images.cached_share_card(attempt, request)
    return HttpResponse(content, content_type="image/png")
