"""Public pages of the prize draw: rules, commitment, results, the eligible list, claims."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kepu import ratelimit

from ..models import PrizeClaim, PrizeDraw, Quiz
from . import services
from .forms import ClaimForm

CLAIM_SCOPE = "prize-claim"
CLAIM_POSTS_PER_HOUR = 10


def _quiz_with_prizes(quiz_id: int) -> Quiz:
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    if quiz.prize_rule == Quiz.PrizeRule.NONE and not PrizeDraw.objects.filter(quiz=quiz).exists():
        raise Http404
    return quiz


@never_cache
def draw_page(request, quiz_id: int):
    """Before the commitment the rules; then the hashes and the list; after the draw the
    seed, the winners by participant number and how to check them. Never the seed before."""
    quiz = _quiz_with_prizes(quiz_id)
    # The list can be megabytes: it is served by eligible_list(), not loaded here.
    draw = PrizeDraw.objects.filter(quiz=quiz).defer("eligible_list").first()
    if draw is not None:
        prize_list = services.parse_prizes_spec(draw.prizes_spec)
    else:
        prize_list = [(p.name, p.count) for p in services.quiz_prizes(quiz)]
    winners = []
    if draw is not None and draw.is_drawn:
        winners = list(draw.winners.select_related("prize").order_by("position"))
    my_number = my_win = None
    in_list = False
    if request.user.is_authenticated:
        my_number = services.participant_number(quiz.pk, request.user.pk)
        if draw is not None:
            in_list = PrizeDraw.objects.filter(
                pk=draw.pk, eligible_list__contains=f"{my_number}\n"
            ).exists()
        my_win = services.winner_for(quiz, request.user)
    return render(
        request,
        "quizzes/prize_draw.html",
        {
            "quiz": quiz,
            "draw": draw,
            "prize_list": prize_list,
            "prizes_spec": services.prizes_spec(prize_list),
            "winners": winners,
            "my_number": my_number,
            "in_list": in_list,
            "my_win": my_win,
        },
    )


def eligible_list(request, quiz_id: int):
    """The committed eligible list, byte for byte what its published hash was computed on."""
    draw = get_object_or_404(PrizeDraw, quiz_id=quiz_id)
    response = HttpResponse(
        draw.eligible_list.encode("utf-8"), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="quiz-{quiz_id}-eligible.txt"'
    return response


@never_cache
@login_required
def claim(request, quiz_id: int):
    """The winner's claim form: only the winner (404 for everyone else), editable until the
    organiser locks claims; posts are rate limited per account."""
    quiz = _quiz_with_prizes(quiz_id)
    winner = services.winner_for(quiz, request.user)
    if winner is None:
        raise Http404
    existing = PrizeClaim.objects.filter(winner=winner).first()
    locked = winner.draw.claims_locked
    if request.method == "POST" and not locked:
        ident = str(request.user.pk)
        if ratelimit.increment(CLAIM_SCOPE, ident, 3600) > CLAIM_POSTS_PER_HOUR:
            return render(
                request,
                "accounts/rate_limited.html",
                {"message": _("You have sent the form many times. Try again in an hour.")},
                status=429,
            )
        form = ClaimForm(request.POST)
        if form.is_valid():
            try:
                services.save_claim(winner, request.user, form.details())
            except services.PrizeDrawError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("Thank you. The organiser will send your prize to this address.")
                )
                return HttpResponseRedirect(reverse("quizzes:prize_claim", args=[quiz.pk]))
    else:
        form = ClaimForm(initial=ClaimForm.initial_from(existing) if existing else None)
    return render(
        request,
        "quizzes/prize_claim.html",
        {"quiz": quiz, "winner": winner, "claim": existing, "form": form, "locked": locked},
        status=400 if form.errors else 200,
    )
