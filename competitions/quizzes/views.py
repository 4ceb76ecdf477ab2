"""Participant views: start, one question per screen, autosave, submit, result, leaderboard.

Every view works with plain form posts (no JavaScript); static/js/quiz.js adds autosave,
a countdown and instant navigation on top. Views are thin: the rules live in attempts.py.
"""

import json
import secrets
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from competitions.core.models import Unit
from kepu import ratelimit
from kepu.http import client_ip

from . import attempts
from .models import Quiz, QuizAttempt

PARTICIPANT_COOKIE = "kepu_quiz_participant"
PARTICIPANT_SALT = "quizzes.participant"


def _participant_key(request) -> str | None:
    if request.user.is_authenticated:
        return attempts.participant_key(request.user)
    anonymous = request.get_signed_cookie(PARTICIPANT_COOKIE, default=None, salt=PARTICIPANT_SALT)
    return attempts.participant_key(anonymous_id=anonymous) if anonymous else None


def _own_attempt(request, public_id) -> QuizAttempt:
    """The requester's attempt, or a 404 that says nothing about other people's attempts."""
    key = _participant_key(request)
    attempt = (
        QuizAttempt.objects.select_related("quiz").filter(public_id=public_id).first()
        if key
        else None
    )
    if attempt is None or attempt.participant_key != key:
        raise Http404(_("This quiz attempt does not exist or is not yours."))
    return attempt


def quiz_page_url(quiz: Quiz) -> str:
    page = quiz.pages.live().first() if hasattr(quiz, "pages") else None
    return page.url if page is not None else "/"


class StartForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label=_("Your unit"),
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose your unit."),
            "invalid_choice": _("Choose a unit from the list."),
        },
    )

    def __init__(self, *args, quiz: Quiz, **kwargs):
        super().__init__(*args, **kwargs)
        if quiz.unit_kind:
            self.fields["unit"].queryset = Unit.objects.filter(kind=quiz.unit_kind, is_active=True)
            self.fields["unit"].label = Unit.Kind(quiz.unit_kind).label
        else:
            del self.fields["unit"]


@never_cache
@require_http_methods(["GET", "POST"])
def start(request, quiz_id: int):
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    if quiz.sign_in_required and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = StartForm(request.POST if request.method == "POST" else None, quiz=quiz)
    if request.method == "POST" and form.is_valid():
        key = _participant_key(request)
        new_cookie = None
        if key is None:
            new_cookie = secrets.token_urlsafe(18)
            key = attempts.participant_key(anonymous_id=new_cookie)
        try:
            attempt = attempts.start_attempt(
                quiz, key=key, user=request.user, unit=form.cleaned_data.get("unit")
            )
        except attempts.QuizError as error:
            messages.error(request, error.message)
            return redirect(request.path)
        response = redirect("quizzes:attempt", public_id=attempt.public_id)
        if new_cookie:
            response.set_signed_cookie(
                PARTICIPANT_COOKIE,
                new_cookie,
                salt=PARTICIPANT_SALT,
                max_age=60 * 60 * 24 * 365,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
    key = _participant_key(request)
    open_attempt = (
        QuizAttempt.objects.filter(quiz=quiz, participant_key=key, status="in_progress").first()
        if key
        else None
    )
    return render(
        request,
        "quizzes/start.html",
        {"quiz": quiz, "form": form, "open_attempt": open_attempt, "status": quiz.status()},
    )


def _position(request, attempt_len: int) -> int:
    try:
        position = int(request.GET.get("q") or request.POST.get("position") or 1)
    except ValueError:
        position = 1
    return min(max(position, 1), max(attempt_len, 1))


@never_cache
@require_http_methods(["GET", "POST"])
def attempt_view(request, public_id):
    attempt = _own_attempt(request, public_id)
    if attempt.is_finished:
        return redirect("quizzes:result", public_id=attempt.public_id)
    if timezone.now() > attempt.deadline:
        attempts.finalize(attempt.pk)
        messages.info(request, _("Time is up. Your answers saved in time have been scored."))
        return redirect("quizzes:result", public_id=attempt.public_id)
    if request.method == "POST":
        return _post_answer(request, attempt)
    position = _position(request, attempt.max_score)
    questions = attempts.shown_questions(attempt, position=position)
    return render(
        request,
        "quizzes/attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "questions": questions,
            "question": questions[position - 1],
            "position": position,
            "total": len(questions),
            "answered": sum(1 for q in questions if q.answered),
            "seconds_left": attempts.seconds_left(attempt),
            "save_token": uuid.uuid4(),
            "submit_token": uuid.uuid4(),
        },
    )


def _parse_uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _post_answer(request, attempt):
    """The no-JavaScript path: save the answer on this screen, then move."""
    position = _position(request, attempt.max_score)
    chosen = request.POST.getlist("option")
    token = _parse_uuid(request.POST.get("save_token"))
    if chosen:
        if token is None:
            messages.error(request, _("The form was incomplete. Please try again."))
            return redirect(f"{request.path}?q={position}")
        try:
            attempts.save_answer(attempt, position=position, tokens=chosen, client_token=token)
        except attempts.DeadlinePassed as error:
            messages.error(request, error.message)
            return redirect("quizzes:result", public_id=attempt.public_id)
        except attempts.QuizError as error:
            messages.error(request, error.message)
            return redirect(f"{request.path}?q={position}")
    action = request.POST.get("action", "next")
    if action == "submit":
        return _submit(request, attempt)
    target = position - 1 if action == "prev" else position + 1
    if action.startswith("goto-"):
        target = int(action[5:]) if action[5:].isdigit() else position
    target = min(max(target, 1), attempt.max_score)
    return redirect(f"{request.path}?q={target}")


def _submit(request, attempt):
    token = _parse_uuid(request.POST.get("submit_token"))
    if token is None:
        messages.error(request, _("The form was incomplete. Please try again."))
        return redirect("quizzes:attempt", public_id=attempt.public_id)
    attempts.submit_attempt(attempt, client_token=token)
    return redirect("quizzes:result", public_id=attempt.public_id)


@never_cache
@require_POST
def submit(request, public_id):
    return _submit(request, _own_attempt(request, public_id))


@never_cache
@require_POST
def save(request, public_id):
    """Autosave (JSON): {"position": 3, "options": ["…"], "token": "<uuid>"}."""
    attempt = _own_attempt(request, public_id)
    limit = settings.KEPU_QUIZ_SAVES_PER_IP_PER_MINUTE
    # Fails open: a Redis outage must not stop anyone's quiz.
    saves = ratelimit.increment("quiz-save", client_ip(request), 60, on_outage=ratelimit.FAIL_OPEN)
    if saves > limit:
        return JsonResponse({"error": _("Too many requests. Please wait a moment.")}, status=429)
    try:
        payload = json.loads(request.body or b"{}")
        position = int(payload["position"])
        options = [str(option) for option in payload["options"]][:10]
        token = uuid.UUID(str(payload["token"]))
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"error": _("The answer could not be read. Please try again.")}, status=400
        )
    try:
        result = attempts.save_answer(
            attempt, position=position, tokens=options, client_token=token
        )
    except attempts.DeadlinePassed as error:
        return JsonResponse({"error": str(error.message), "finished": True}, status=409)
    except attempts.AttemptFinished as error:
        return JsonResponse({"error": str(error.message), "finished": True}, status=409)
    except attempts.QuizError as error:
        return JsonResponse({"error": str(error.message)}, status=400)
    return JsonResponse({"saved": True, "position": result.position, "replayed": result.replayed})


@never_cache
def result(request, public_id):
    attempt = _own_attempt(request, public_id)
    if not attempt.is_finished:
        if timezone.now() <= attempt.deadline:
            return redirect("quizzes:attempt", public_id=attempt.public_id)
        attempt = attempts.finalize(attempt.pk)
    review = attempts.may_review(attempt)
    entry = attempts.my_entry(attempt.quiz, attempt.participant_key)
    return render(
        request,
        "quizzes/result.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "review": review,
            "questions": attempts.shown_questions(attempt, review=review),
            "rank": attempts.rank_of(entry) if entry else None,
            "is_best": entry is not None and entry.attempt_id == attempt.pk,
            "passed": attempt.percent >= attempt.quiz.pass_mark,
            "quiz_url": quiz_page_url(attempt.quiz),
        },
    )


def leaderboard(request, quiz_id: int):
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    key = _participant_key(request)
    mine = attempts.my_entry(quiz, key) if key else None
    return render(
        request,
        "quizzes/leaderboard.html",
        {
            "quiz": quiz,
            "entries": attempts.top(quiz, 50),
            "mine": mine,
            "my_rank": attempts.rank_of(mine) if mine else None,
            "quiz_url": quiz_page_url(quiz),
        },
    )
