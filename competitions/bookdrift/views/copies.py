"""A copy's public pages, opened from its QR label: the copy, its whole journey, catching
and releasing it. Thin: the rules live in journeys.py, privacy in timeline.py."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from kepu import ratelimit
from kepu.http import client_ip

from .. import journeys, page_cache, reviews, timeline
from ..forms import CatchForm, ReleaseForm
from ..models import BookCopy, JourneyStep, Station
from .lookup import copy_view

READER_COOKIE = "kepu_drift_reader"
READER_COOKIE_SALT = "bookdrift.anonymous-reader"
READER_COOKIE_AGE = 365 * 24 * 3600


def _anonymous_id(request) -> str:
    """The anonymous reader's random id from their signed cookie ("" if none yet)."""
    value = request.get_signed_cookie(READER_COOKIE, default="", salt=READER_COOKIE_SALT)
    return value if len(value) == 32 and value.isalnum() else ""


def _reader(request, nickname: str = "") -> journeys.Reader:
    if request.user.is_authenticated:
        return journeys.Reader(user=request.user)
    return journeys.Reader(
        anonymous_id=_anonymous_id(request) or uuid.uuid4().hex, nickname=nickname
    )


def _keep_reader_cookie(response, reader: journeys.Reader):
    if reader.is_anonymous:
        response.set_signed_cookie(
            READER_COOKIE,
            reader.anonymous_id,
            salt=READER_COOKIE_SALT,
            max_age=READER_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _readers(copy: BookCopy) -> int:
    return copy.steps.filter(kind=JourneyStep.Kind.CATCH).aggregate(
        n=Count("reader_key", distinct=True)
    )["n"]


def _viewer_holds(request, copy: BookCopy) -> bool:
    if copy.state != BookCopy.State.READING:
        return False
    if request.user.is_authenticated:
        return copy.holder_key == f"u:{request.user.pk}"
    anonymous = _anonymous_id(request)
    return bool(anonymous) and copy.holder_key == f"a:{anonymous}"


def _subjects(copy: BookCopy) -> list:
    # Not the book's version: steps of its other copies move it (page_cache.reviews_changed).
    return [("copy", copy.pk), ("reviews", copy.book_id)]


@require_safe
@copy_view
def copy_page(request, copy: BookCopy):
    """The page a label's QR code opens: the book, where the copy is, its recent journey and
    the two actions. Cached for anonymous readers until the copy's next step."""
    if request.path != copy.path:
        return redirect(copy.path, permanent=True)

    def render_page():
        now = timezone.now()
        contest = reviews.review_contest(copy)
        return render(
            request,
            "bookdrift/copy.html",
            {
                "copy": copy,
                "book": copy.book,
                "campaign": copy.campaign,
                "running": copy.campaign.is_running(),
                "readers": _readers(copy),
                "days_reading": (now - copy.moved_at).days
                if copy.state == BookCopy.State.READING
                else None,
                "timeline": timeline.recent(copy),
                "more_steps": copy.steps_count > timeline.RECENT_STEPS,
                "review_open": contest is not None and contest.accepts_entries(now),
                "reviews_shown": reviews.shown_reviews(copy.book).count(),
                "holds": _viewer_holds(request, copy),
            },
        )

    if _anonymous_id(request):
        # An anonymous reader who caught books sees whether they hold this one: not shared.
        return render_page()
    return page_cache.serve_cached(request, f"copy:{copy.code}", _subjects(copy), render_page)


@require_safe
@copy_view
def journey_page(request, copy: BookCopy):
    """The copy's whole journey, newest first, 50 steps a page."""
    count = timeline.page_count(copy)
    try:
        number = Paginator(range(count), 1).validate_number(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        return redirect(copy.path + "/journey")

    def render_page():
        return render(
            request,
            "bookdrift/journey.html",
            {
                "copy": copy,
                "book": copy.book,
                "timeline": timeline.page(copy, number),
                "page": number,
                "pages": count,
            },
        )

    return page_cache.serve_cached(request, f"journey:{copy.code}", _subjects(copy), render_page)


def _limited(request) -> bool:
    return (
        ratelimit.increment("drift-step-ip", client_ip(request), 60)
        > settings.KEPU_DRIFT_STEPS_PER_IP_PER_MINUTE
    )


def _last_place(request, copy: BookCopy) -> dict:
    """A signed-in reader's school or class and choice from their last step in this drift,
    so a regular reader answers nothing twice."""
    if not request.user.is_authenticated:
        return {}
    last = (
        JourneyStep.objects.filter(reader=request.user, copy__campaign_id=copy.campaign_id)
        .order_by("-created_at")
        .values("school_id", "school_class_id", "show_identity")
        .first()
    )
    if last is None:
        return {}
    if last["school_class_id"]:
        unit = f"c:{last['school_class_id']}"
    elif last["school_id"]:
        unit = f"s:{last['school_id']}"
    else:
        unit = ""
    return {"unit": unit, "show_identity": last["show_identity"]}


@never_cache
@require_http_methods(["GET", "POST"])
@copy_view
def catch(request, copy: BookCopy):
    """我拿到这本书了: the catch form (GET) and the catch (POST; idempotent on its token)."""
    anonymous = not request.user.is_authenticated
    if anonymous and not copy.campaign.allow_anonymous:
        return render(request, "bookdrift/sign_in_to_catch.html", {"copy": copy, "book": copy.book})
    form = CatchForm(
        request.POST or None,
        campaign=copy.campaign,
        anonymous=anonymous,
        initial=_last_place(request, copy),
    )
    if request.method == "POST" and form.is_valid():
        if _limited(request):
            form.add_error(None, _("Too many steps from your network. Please wait a minute."))
        else:
            reader = _reader(request, form.cleaned_data.get("nickname", ""))
            try:
                result = journeys.catch(
                    copy,
                    reader,
                    token=form.cleaned_data["token"],
                    place=form.where(),
                    note=form.cleaned_data["note"],
                    show_identity=form.cleaned_data.get("show_identity", False),
                    ip=client_ip(request),
                )
            except journeys.JourneyError as error:
                if error.code == "already_caught":
                    messages.info(request, error.message)
                    return redirect(copy.path)
                form.add_error("note" if error.code == "note" else None, error.message)
            else:
                step = result.step
                text = _(
                    "You have the book now! Enjoy it, and pass it on within %(days)s days."
                ) % {"days": copy.campaign.reading_days}
                if step.text_status == JourneyStep.TextStatus.PENDING:
                    text += " " + _("Your note will appear once the organisers have read it.")
                messages.success(request, text)
                return _keep_reader_cookie(redirect(copy.path), reader)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "bookdrift/catch.html",
        {
            "copy": copy,
            "book": copy.book,
            "campaign": copy.campaign,
            "form": form,
            "running": copy.campaign.is_running(),
            "anonymous": anonymous,
            "held_by_viewer": _viewer_holds(request, copy),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@copy_view
def release(request, copy: BookCopy):
    """我把它放漂了: to a station or hand to hand; only the reader holding the copy."""
    anonymous = not request.user.is_authenticated
    form = ReleaseForm(
        request.POST or None,
        campaign=copy.campaign,
        anonymous=anonymous,
        initial=_last_place(request, copy),
    )
    holds = _viewer_holds(request, copy)
    if request.method == "POST" and form.is_valid():
        if _limited(request):
            form.add_error(None, _("Too many steps from your network. Please wait a minute."))
        else:
            station = None
            station_id = form.station_id()
            if station_id:
                station = Station.objects.filter(pk=station_id).first()
            reader = _reader(request)
            try:
                result = journeys.release(
                    copy,
                    reader,
                    token=form.cleaned_data["token"],
                    station=station,
                    place=form.where(),
                    note=form.cleaned_data["note"],
                    show_identity=form.cleaned_data.get("show_identity", False),
                    ip=client_ip(request),
                )
            except journeys.JourneyError as error:
                form.add_error(None, error.message)
            else:
                step = result.step
                if step.station_id:
                    text = _("Thank you! The book waits at %(station)s for its next reader.") % {
                        "station": step.station.name
                    }
                else:
                    text = _("Thank you! Ask the next reader to scan the label and catch it.")
                messages.success(request, text)
                return redirect(copy.path)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "bookdrift/release.html",
        {
            "copy": copy,
            "book": copy.book,
            "campaign": copy.campaign,
            "form": form,
            "running": copy.campaign.is_running(),
            "anonymous": anonymous,
            "holds": holds,
        },
        status=status,
    )
