"""Wagtail admin for prize draws: prizes per quiz, commit, draw, results and claims.

Two permissions decide everything (grant them to groups under Settings → Groups):
`quizzes.change_prizedraw` defines prizes, commits, draws and locks claims;
`quizzes.view_prizeclaim` sees winners' claims — masked in lists, in full on a claim's own
page, each opening logged. Everyone else gets 403. Imported by wagtail_hooks.py.
"""

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.utils.urlpatterns import decorate_urlpatterns

from accounts.masking import mask_name, mask_phone
from kepu.forbidden import explained_403

from ..models import PrizeClaim, PrizeDraw, Quiz
from . import services
from .forms import PrizeFormSet

MANAGE_PERMISSION = "quizzes.change_prizedraw"
CLAIMS_PERMISSION = "quizzes.view_prizeclaim"


def may_manage(user) -> bool:
    return user.has_perm(MANAGE_PERMISSION)


def may_see_claims(user) -> bool:
    return user.has_perm(CLAIMS_PERMISSION)


# Refusals answer 403 with the reason (Wagtail would redirect to the dashboard).
forbidden_as_403 = explained_403(gettext_lazy("You do not have permission to manage prize draws."))


def _require(user, *, manage=False, claims=False) -> None:
    if manage and not may_manage(user):
        raise PermissionDenied
    if claims and not may_see_claims(user):
        raise PermissionDenied
    if not (may_manage(user) or may_see_claims(user)):
        raise PermissionDenied


def index(request):
    """Quizzes with a prize rule or a draw, newest first, with the draw's state."""
    _require(request.user)
    quizzes = (
        Quiz.objects.exclude(prize_rule=Quiz.PrizeRule.NONE, prize_draw__isnull=True)
        .select_related("prize_draw")
        .annotate(prize_count=Count("prizes"))
        .order_by("-closes_at")
    )
    return TemplateResponse(request, "quizzes/admin/prize_draw_index.html", {"quizzes": quizzes})


def _masked_claim(claim: PrizeClaim | None) -> dict | None:
    if claim is None:
        return None
    return {
        "pk": claim.pk,
        "recipient_name": mask_name(claim.recipient_name),
        "phone": mask_phone(claim.phone),
        "address": services.mask_address(claim.address),
        "updated_at": claim.updated_at,
    }


def quiz_draw(request, quiz_id: int, formset=None, status=200):
    """One quiz's prizes, commitment, draw and results."""
    _require(request.user)
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    draw = PrizeDraw.objects.filter(quiz=quiz).first()
    prize_rows = services.quiz_prizes(quiz)
    if draw is None and formset is None and may_manage(request.user):
        formset = PrizeFormSet(initial=[{"name": p.name, "count": p.count} for p in prize_rows])
    winners = []
    if draw is not None and draw.is_drawn:
        for winner in draw.winners.select_related("prize").order_by("position"):
            claim = PrizeClaim.objects.filter(winner=winner).first()
            winners.append(
                {
                    "winner": winner,
                    "has_claim": claim is not None,
                    "claim": _masked_claim(claim) if may_see_claims(request.user) else None,
                }
            )
    context = {
        "quiz": quiz,
        "draw": draw,
        "prizes": prize_rows,
        "formset": formset,
        "winners": winners,
        "may_manage": may_manage(request.user),
        "may_see_claims": may_see_claims(request.user),
        "quiz_closed": quiz.status() == "closed",
        "eligible_now": len(services.eligible_user_ids(quiz)) if draw is None else None,
        "public_url": reverse("quizzes:prize_draw", args=[quiz.pk]),
    }
    return TemplateResponse(request, "quizzes/admin/prize_draw.html", context, status=status)


@require_POST
def save_prizes(request, quiz_id: int):
    _require(request.user, manage=True)
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    formset = PrizeFormSet(request.POST)
    if not formset.is_valid():
        return quiz_draw(request, quiz_id, formset=formset, status=400)
    try:
        services.set_prizes(quiz, formset.prizes())
    except services.PrizeDrawError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Prizes saved."))
    return redirect("quiz_prizes_admin:quiz", quiz_id=quiz.pk)


def _action(service, success_message):
    @require_POST
    def view(request, quiz_id: int):
        _require(request.user, manage=True)
        quiz = get_object_or_404(Quiz, pk=quiz_id)
        try:
            service(quiz, by=request.user)
        except services.PrizeDrawError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, success_message())
        return redirect("quiz_prizes_admin:quiz", quiz_id=quiz.pk)

    return view


commit = _action(
    services.commit_draw,
    lambda: _("Committed: the hashes of the seed and of the eligible list are now public."),
)
draw = _action(services.run_draw, lambda: _("The winners are drawn and the seed is published."))


@require_POST
def lock(request, quiz_id: int):
    _require(request.user, manage=True)
    prize_draw = get_object_or_404(PrizeDraw, quiz_id=quiz_id)
    try:
        services.lock_claims(prize_draw)
    except services.PrizeDrawError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Claims are locked: winners can no longer change them."))
    return redirect("quiz_prizes_admin:quiz", quiz_id=quiz_id)


def claim_detail(request, claim_id: int):
    """A claim in full, for staff allowed to see claims; each opening is recorded."""
    _require(request.user, claims=True)
    claim = get_object_or_404(
        PrizeClaim.objects.select_related("winner__prize", "winner__draw__quiz"), pk=claim_id
    )
    services.record_claim_access(claim, request.user)
    accesses = claim.accesses.select_related("viewer")[:20]
    return TemplateResponse(
        request,
        "quizzes/admin/prize_claim.html",
        {
            "claim": claim,
            "winner": claim.winner,
            "quiz": claim.winner.draw.quiz,
            "accesses": accesses,
        },
    )


urlpatterns = decorate_urlpatterns(
    [
        path("", index, name="index"),
        path("quiz/<int:quiz_id>/", quiz_draw, name="quiz"),
        path("quiz/<int:quiz_id>/prizes/", save_prizes, name="save_prizes"),
        path("quiz/<int:quiz_id>/commit/", commit, name="commit"),
        path("quiz/<int:quiz_id>/draw/", draw, name="draw"),
        path("quiz/<int:quiz_id>/lock/", lock, name="lock"),
        path("claims/<int:claim_id>/", claim_detail, name="claim"),
    ],
    forbidden_as_403,
)


class PrizeDrawMenuItem(MenuItem):
    def is_shown(self, request):
        return may_manage(request.user) or may_see_claims(request.user)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("quiz-prizes/", include((urlpatterns, "quiz_prizes_admin")))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return PrizeDrawMenuItem(
        gettext_lazy("Prize draws"),
        reverse("quiz_prizes_admin:index"),
        name="quiz-prize-draws",
        icon_name="pick",
        order=460,
    )


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(
        content_type__app_label="quizzes",
        codename__in=["change_prizedraw", "view_prizeclaim"],
    )
