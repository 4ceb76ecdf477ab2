"""Participant views: start, the whole paper, batches of answers, submit, result, leaderboard.

With JavaScript an attempt is a handful of requests: the quiz page (cached for everyone),
the start posted from it (answered with the whole paper), a batch of answers now and then,
the submit (answered with the result). static/js/quiz.js moves between questions in the
page, keeps unsent answers in local storage and sends them in batches. Without JavaScript
the same attempt is taken one question per screen with plain form posts. Views are thin:
the rules live in attempts.py.
"""

import secrets
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from content.cache import PAGES
from kepu import ratelimit
from kepu.http import client_ip
from kepu.middleware import lean

from . import attempt_tokens, attempts, papers
from .answer_batches import MAX_BYTES as MAX_BATCH_BYTES
from .answer_batches import MAX_OPTIONS, MAX_POSITION, AnswerIn, BadBatch, Batch, parse_batch
from .attempt_tokens import PARTICIPANT_COOKIE, PARTICIPANT_SALT
from .facts import facts_for
from .forms import StartForm
from .models import Quiz, QuizAttempt


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
    """The quiz's live page, kept per process until a page is published, moved or deleted."""

    def find():
        page = quiz.pages.live().first()
        return page.url if page is not None else "/"

    return PAGES.get(("quiz-page-url", quiz.pk), find)


@never_cache
@require_http_methods(["GET", "POST"])
def start(request, quiz_id: int):
    """The start page (rules, fair-play warnings, unit); posting it, or the quiz page's start
    form, starts or resumes the attempt. With JavaScript the answer is the whole paper;
    without, its first question. A refusal (not open, attempts used up) comes back here
    with its message, and the page says where the participant stands."""
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    if quiz.sign_in_required and not request.user.is_authenticated:
        # Back here after signing in, with the unit chosen in a posted form still chosen.
        unit = StartForm(quiz=quiz).known_unit(request.POST.get("unit", ""))
        target = f"{request.path}?unit={unit}" if unit else request.get_full_path()
        return redirect_to_login(target)
    if request.method == "POST":
        form = StartForm(request.POST, quiz=quiz)
    else:
        form = StartForm(quiz=quiz, unit=request.GET.get("unit"))
    if request.method == "POST" and form.is_valid():
        key = _participant_key(request)
        new_cookie = None
        if key is None:
            new_cookie = secrets.token_urlsafe(18)
            key = attempts.participant_key(anonymous_id=new_cookie)
        try:
            attempt = attempts.start_attempt(
                quiz,
                key=key,
                user=request.user,
                unit=form.cleaned_data.get("unit"),
                device=_device(request, new_cookie),
            )
        except attempts.QuizError as error:
            messages.error(request, error.message)
            return redirect(request.path)
        if request.POST.get("js") == "1":
            response = _paper(request, attempt, _device(request, new_cookie))
        else:
            url = reverse("quizzes:attempt", args=[attempt.public_id])
            response = redirect(f"{url}?q=1")
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
    allowance = attempts.allowance(quiz, key) if key else None
    open_attempt = (
        QuizAttempt.objects.filter(pk=allowance.open_attempt_id).first()
        if allowance and allowance.open_attempt_id
        else None
    )
    return render(
        request,
        "quizzes/start.html",
        {
            "quiz": quiz,
            "facts": facts_for(quiz),
            "form": form,
            "open_attempt": open_attempt,
            "allowance": allowance,
            "status": quiz.status(),
        },
    )


def _device(request, anonymous_id: str | None = None) -> str:
    """This browser, as far as a one-device quiz needs to know it: its session if signed in,
    else its participant cookie (a digest of either, never the secret itself)."""
    if request.user.is_authenticated:
        if request.session.session_key is None:
            request.session.save()
        basis = request.session.session_key
    else:
        basis = anonymous_id or request.get_signed_cookie(
            PARTICIPANT_COOKIE, default=None, salt=PARTICIPANT_SALT
        )
    return attempt_tokens.device_of(basis)


def _position(request, attempt_len: int) -> int:
    try:
        position = int(request.GET.get("q") or request.POST.get("position") or 1)
    except ValueError:
        position = 1
    return min(max(position, 1), max(attempt_len, 1))


@never_cache
@require_http_methods(["GET", "POST"])
def attempt_view(request, public_id):
    """The whole paper (`/quiz/a/<id>/`), or one question per screen (`?q=N`, the flow
    without JavaScript, whose form posts come here too)."""
    attempt = _own_attempt(request, public_id)
    if attempt.is_finished:
        return redirect("quizzes:result", public_id=attempt.public_id)
    if timezone.now() > attempt.deadline:
        attempts.finalize(attempt.pk)
        messages.info(request, _("Time is up. Your answers saved in time have been scored."))
        return redirect("quizzes:result", public_id=attempt.public_id)
    if request.method == "POST":
        return _post_answer(request, attempt)
    if "q" not in request.GET:
        device = _device(request)
        return _paper(request, attempts.bind_device(attempt, device), device)
    position = _position(request, attempt.max_score)
    material = papers.material_for(attempt.quiz)
    questions = papers.shown_questions(attempt, material, position=position)
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


def _paper(request, attempt: QuizAttempt, device: str):
    """The whole drawn paper in one page: every question with its options (opaque tokens),
    the answers the server holds, the clock, and the attempt token (bound to `device`) that
    lets its batches and its submit take the lean path; quiz.js shows one question at a time."""
    quiz = attempt.quiz
    now = timezone.now()
    url = reverse("quizzes:attempt", args=[attempt.public_id])
    state = {
        "attempt": str(attempt.public_id),
        "url": url,
        "saveUrl": reverse("quizzes:save", args=[attempt.public_id]),
        "resultUrl": reverse("quizzes:result", args=[attempt.public_id]),
        "secondsLeft": attempts.seconds_left(attempt, now),
        "sequences": attempts.sequences(attempt),
        "leaves": attempt.page_leaves,
        "countLeaves": quiz.count_page_leaves,
        "maxLeaves": quiz.max_page_leaves if quiz.count_page_leaves else 0,
        "idleSeconds": quiz.idle_timeout_seconds,
        "saveDelaySeconds": settings.KEPU_QUIZ_SAVE_DELAY_SECONDS,
        "saveMaxSeconds": max(
            settings.KEPU_QUIZ_SAVE_MAX_SECONDS, settings.KEPU_QUIZ_SAVE_DELAY_SECONDS
        ),
        "token": attempt_tokens.issue(attempt, device),
    }
    answered = [bool(attempt.selected(position)) for position in range(1, attempt.max_score + 1)]
    return render(
        request,
        "quizzes/paper.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "paper_html": papers.paper_html(attempt, papers.material_for(quiz)),
            "map": list(enumerate(answered, start=1)),
            "total": len(answered),
            "answered": sum(answered),
            "seconds_left": state["secondsLeft"],
            "submit_token": uuid.uuid4(),
            "attempt_token": state["token"],
            "state": state,
            "page_url": url,
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
    chosen = request.POST.getlist("option")[:MAX_OPTIONS]
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
        number = action[5:]
        # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
        digits = number.isascii() and number.isdecimal() and len(number) < 7
        target = int(number) if digits else position
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
    """Submits the whole paper: the answers not yet saved (quiz.js's batch, or without
    JavaScript the form's choices), scored in one transaction; answers with the result."""
    key = _participant_key(request)
    if key is None:
        raise Http404(_("This quiz attempt does not exist or is not yours."))
    paper_url = reverse("quizzes:attempt", args=[public_id])
    if _parse_uuid(request.POST.get("submit_token")) is None:
        _own_attempt(request, public_id)  # 404 for anyone else's
        messages.error(request, _("The form was incomplete. Please try again."))
        return redirect(paper_url)
    try:
        attempt = _submit_paper(request, public_id, key=key, device=_device(request))
    except attempts.AttemptNotFound:
        raise Http404(_("This quiz attempt does not exist or is not yours.")) from None
    except (BadBatch, attempts.QuizError) as error:
        messages.error(request, error.message)
        return redirect(paper_url)
    return _result_page(request, attempt, replace_url=True)


def _holds_token(request, public_id) -> bool:
    return attempt_tokens.holder(request, public_id) is not None


@lean(accepts=_holds_token)
def lean_submit(request, public_id):
    """The submit of a request that carries its attempt token (kepu.middleware: no session,
    account or CSRF cookie read). A refusal changes nothing and goes the full path, which
    says why on the paper."""
    holder = attempt_tokens.holder(request, public_id)
    try:
        attempt = _submit_paper(request, public_id, key=holder.key, device=holder.device)
    except attempts.AccountBlocked as error:
        # The full path would not know the account any more (its session no longer signs
        # it in): say why here.
        return _never_cached(_account_blocked_page(request, error))
    except (BadBatch, attempts.QuizError):
        return None
    # The token proved the requester is the attempt's participant: the result page's header
    # and certificate links need no session to know who that is.
    request.user = attempt.user if attempt.user_id else AnonymousUser()
    return _never_cached(_result_page(request, attempt, replace_url=True))


def _account_blocked_page(request, error):
    request.user = AnonymousUser()
    return render(request, "quizzes/refused.html", {"message": error.message}, status=403)


def _never_cached(response):
    # never_cache cannot wrap a lean view: it may return None (take the full path).
    add_never_cache_headers(response)
    return response


def _submit_paper(request, public_id, *, key: str, device: str) -> QuizAttempt:
    """The submit's work for participant `key`: the attempt, scored. Raises AttemptNotFound,
    BadBatch or QuizError, having changed nothing."""
    token = _parse_uuid(request.POST.get("submit_token"))
    if token is None:
        raise BadBatch(_("The form was incomplete. Please try again."))
    return attempts.submit(
        public_id,
        key=key,
        client_token=token,
        batch=_submitted_answers(request, token),
        auto_submitted=request.POST.get("auto", ""),
        device=device,
    )


def _submitted_answers(request, token: uuid.UUID) -> Batch | None:
    raw = request.POST.get("batch", "")
    if raw:
        return parse_batch(raw, positions=MAX_POSITION)
    positions = sorted(
        int(name[1:])
        for name in request.POST
        # ASCII digits only: "q²" is not a position (str.isdigit() accepts it, int() not).
        if name[:1] == "q" and name[1:].isascii() and name[1:].isdecimal() and len(name) < 7
    )
    answers = tuple(
        AnswerIn(position=position, sequence=None, tokens=tuple(chosen[:MAX_OPTIONS]))
        for position in positions
        if (chosen := request.POST.getlist(f"q{position}"))
    )
    # The form's own batch: a repeated submit maps to the same token, so it is applied once.
    return Batch(token=uuid.uuid5(token, "answers"), answers=answers) if answers else None


@never_cache
@require_POST
def save(request, public_id):
    """A batch of answers (quiz.js; `batch` form field, or a JSON body): see answer_batches."""
    key = _participant_key(request)
    if key is None:
        return JsonResponse({"error": str(attempts.AttemptNotFound.message)}, status=404)
    return _save(request, public_id, key=key, device=_device(request))


@lean(accepts=_holds_token)
def lean_save(request, public_id):
    """A batch that carries its attempt token (kepu.middleware: no session, account or CSRF
    cookie read); answered like `save`."""
    holder = attempt_tokens.holder(request, public_id)
    return _never_cached(_save(request, public_id, key=holder.key, device=holder.device))


def _save(request, public_id, *, key: str, device: str):
    limit = settings.KEPU_QUIZ_SAVES_PER_IP_PER_MINUTE
    # Fails open: a Redis outage must not stop anyone's quiz.
    saves = ratelimit.increment("quiz-save", client_ip(request), 60, on_outage=ratelimit.FAIL_OPEN)
    if saves > limit:
        return JsonResponse({"error": _("Too many requests. Please wait a moment.")}, status=429)
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > 2 * MAX_BATCH_BYTES:
            raise BadBatch(_("Too many answers at once. Please reload the page."))
        if request.content_type == "application/json":
            raw = request.body
        else:
            raw = request.POST.get("batch", "")
        batch = parse_batch(raw, positions=MAX_POSITION)
        result = attempts.save_answers(public_id, key=key, batch=batch, device=device)
    except BadBatch as error:
        return JsonResponse({"error": str(error.message)}, status=400)
    except attempts.AttemptNotFound as error:
        return JsonResponse({"error": str(error.message)}, status=404)
    except (attempts.DeadlinePassed, attempts.AttemptFinished) as error:
        return JsonResponse(
            {"error": str(error.message), "finished": True, "resultUrl": _result_url(public_id)},
            status=409,
        )
    except attempts.OtherDevice as error:
        return JsonResponse({"error": str(error.message), "otherDevice": True}, status=409)
    except attempts.AccountBlocked as error:
        return JsonResponse({"error": str(error.message), "accountBlocked": True}, status=403)
    except attempts.QuizError as error:
        return JsonResponse({"error": str(error.message)}, status=400)
    body = {
        "saved": True,
        "replayed": result.replayed,
        "sequences": {str(position): seq for position, seq in result.sequences.items()},
        "leaves": result.page_leaves,
        "finished": result.finished,
    }
    if result.finished:
        body["resultUrl"] = _result_url(public_id)
    return JsonResponse(body)


def _result_url(public_id) -> str:
    return reverse("quizzes:result", args=[public_id])


@never_cache
def result(request, public_id):
    attempt = _own_attempt(request, public_id)
    if not attempt.is_finished:
        if timezone.now() <= attempt.deadline:
            return redirect("quizzes:attempt", public_id=attempt.public_id)
        attempt = attempts.finalize(attempt.pk)
    return _result_page(request, attempt)


def _result_page(request, attempt: QuizAttempt, *, replace_url: bool = False):
    """Score, time, rank and, as the review policy allows, the answers with explanations.
    `replace_url`: answering a submit, so the browser's address becomes the result's."""
    quiz = attempt.quiz
    review = attempts.may_review(attempt)
    entry = getattr(attempt, "leaderboard_entry", None) or attempts.my_entry(
        quiz, attempt.participant_key
    )
    return render(
        request,
        "quizzes/result.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "review": review,
            "review_html": papers.review_html(attempt, papers.material_for(quiz)) if review else "",
            "rank": attempts.rank_of(entry) if entry else None,
            "is_best": entry is not None and entry.attempt_id == attempt.pk,
            "passed": attempt.percent >= quiz.pass_mark,
            "quiz_url": quiz_page_url(quiz),
            "replace_url": _result_url(attempt.public_id) if replace_url else "",
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
