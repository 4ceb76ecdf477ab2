"""Public voting pages: an entry's vote page, the vote itself, the ranking, share cards.

Everything works with plain form posts; static/js/vote.js only turns the vote into a
fetch that updates the count in place. Views are thin: the rules live in services.py.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from competitions.submissions.models import Contest, Entry
from kepu import captcha as kepu_captcha
from kepu import ratelimit
from kepu.http import client_ip

from . import captcha, services
from .popularity.links import share_url
from .share_card import share_card_png

RANKING_PAGE_SIZE = 100
# Votes fail closed while the anti-fraud counters are unreachable (docs/reliability.md).
VOTING_PAUSED = _lazy(
    "Voting is paused for a few minutes while the site recovers. Your earlier votes are "
    "safe; please try again shortly."
)


def _entry(contest_id: int, number: int) -> Entry:
    entry = (
        Entry.objects.select_related("contest", "group")
        .filter(contest_id=contest_id, number=number, status=Entry.Status.SUBMITTED)
        .first()
    )
    if entry is None:
        raise Http404(_("There is no such entry."))
    return entry


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@never_cache
def entry_page(request, contest_id: int, number: int):
    entry = _entry(contest_id, number)
    contest = entry.contest
    user = request.user
    eligible = services.may_vote(user)
    try:
        need_captcha = eligible and captcha.captcha_required(user, client_ip(request))
        paused = False
    except ratelimit.RateLimitUnavailable:
        need_captcha, paused = False, True
    return render(
        request,
        "voting/entry.html",
        {
            "entry": entry,
            "title": services.shown_title(entry),
            "contest": contest,
            "count": services.entry_count(entry),
            "voting_open": contest.voting_open(),
            "in_vote": services.votable_entries(contest).filter(pk=entry.pk).exists(),
            "eligible": eligible,
            "voted_today": services.voted_today(entry, user),
            "votes_left": services.votes_left_today(contest, user),
            "captcha_form": kepu_captcha.CaptchaForm() if need_captcha else None,
            "voting_paused": paused,
        },
    )


def _refuse(request, entry, message: str, status: int, count: int | None = None):
    """Refuses the vote with `message`. A 428 (captcha) hands the script a fresh question;
    without JavaScript the entry page shows one, with the message."""
    if _wants_json(request):
        question = None
        if status == 428:
            challenge = kepu_captcha.new_challenge()
            question = {"token": challenge.token, "prompt": challenge.prompt}
        return JsonResponse(
            {"ok": False, "message": message, "count": count, "captcha": question},
            status=status,
        )
    messages.error(request, message)
    return redirect("voting:entry", entry.contest_id, entry.number)


@require_POST
def vote(request, contest_id: int, number: int):
    """Casts the signed-in voter's vote; a repeat the same day says so with the same count."""
    entry = _entry(contest_id, number)
    user = request.user
    if not user.is_authenticated:
        if _wants_json(request):
            return _refuse(request, entry, str(services.NotEligible.message), 401)
        return redirect_to_login(reverse("voting:entry", args=[contest_id, number]))
    ip = client_ip(request)
    try:
        too_fast = (
            ratelimit.increment("vote-ip", ip, 60) > settings.KEPU_VOTING_IP_PER_MINUTE
            or ratelimit.increment("vote-user", str(user.pk), 60)
            > settings.KEPU_VOTING_USER_PER_MINUTE
        )
        need_captcha = (
            not too_fast and services.may_vote(user) and captcha.captcha_required(user, ip)
        )
    except ratelimit.RateLimitUnavailable:
        return _refuse(request, entry, str(VOTING_PAUSED), 503)
    if too_fast:
        return _refuse(
            request, entry, _("Too many votes in a short time. Please wait a minute."), 429
        )
    if need_captcha:
        answer = request.POST.get("captcha", "")
        if not kepu_captcha.check(request.POST.get("captcha_token", ""), answer):
            if answer.strip():
                message = _("That answer is not right. Please answer the new question.")
            else:
                message = _("Please answer the question below first.")
            return _refuse(request, entry, message, 428)
    try:
        result = services.cast_vote(
            entry, user, ip=ip, user_agent=request.headers.get("User-Agent", "")
        )
    except services.VoteError as error:
        return _refuse(request, entry, str(error.message), 403)
    if result.created:
        captcha.note_vote(user.pk, ip)
        message = _("Thank you, your vote was counted.")
    else:
        message = _("You have already voted for this entry today.")
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "created": result.created,
                "message": message,
                "count": result.count,
                "votes_left": services.votes_left_today(entry.contest, user),
            }
        )
    if result.created:
        messages.success(request, message)
    else:
        messages.info(request, message)
    return redirect("voting:entry", contest_id, number)


def ranking(request, contest_id: int):
    """The live popularity ranking (人气榜), cached a few seconds, per group on request."""
    contest = get_object_or_404(Contest, pk=contest_id)
    groups = list(contest.groups.all())
    try:
        group_id = int(request.GET.get("group") or 0)
    except ValueError:
        group_id = 0
    if group_id and group_id not in {group.pk for group in groups}:
        group_id = 0
    # A page of the ranking, not all entries: a contest has thousands, and the whole table
    # was slow to render and far too heavy for a phone.
    page = Paginator(_ranking_rows(contest, group_id), RANKING_PAGE_SIZE).get_page(
        request.GET.get("page")
    )

    def page_url(number: int) -> str:
        return "?" + urlencode({**({"group": group_id} if group_id else {}), "page": number})

    return render(
        request,
        "voting/ranking.html",
        {
            "contest": contest,
            "groups": groups,
            "group_id": group_id,
            "rows": page.object_list,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "previous_url": page_url(page.number - 1) if page.has_previous() else "",
            "next_url": page_url(page.number + 1) if page.has_next() else "",
            "voting_open": contest.voting_open(),
        },
    )


def ranking_cache_key(contest_id: int, group_id: int) -> str:
    """Where the ranking of a contest (group 0: all groups) is cached."""
    return f"voting:ranking:{contest_id}:{group_id}"


def _ranking_rows(contest: Contest, group_id: int) -> list:
    """The ranking, recounted at most once per KEPU_VOTING_RANKING_CACHE_SECONDS.

    Once the rows are older than that, one request recounts them (it takes a short lock in
    the cache) while the others are served the previous rows: near a voting deadline many
    phones open the ranking at once, and the count over all votes must not run in each of
    them. Without previous rows (first view, cache lost) the request counts itself.
    """
    seconds = settings.KEPU_VOTING_RANKING_CACHE_SECONDS
    key = ranking_cache_key(contest.pk, group_id)
    cached = cache.get(key)
    if cached is not None:
        fresh = cached["at"] + seconds > time.time()
        if fresh or not cache.add(f"{key}:lock", 1, 30):
            return cached["rows"]
    try:
        rows = services.ranking(contest, group_id or None)
        # Kept well beyond its freshness so that there are rows to serve while recounting.
        cache.set(key, {"rows": rows, "at": time.time()}, max(60, seconds * 20))
    finally:
        if cached is not None:
            cache.delete(f"{key}:lock")
    return rows


def share_card(request, contest_id: int, number: int):
    entry = _entry(contest_id, number)
    # The card's QR code opens the entry's counted share link (popularity/), at the public address.
    url = share_url(entry, via="card")
    response = HttpResponse(share_card_png(entry, url), content_type="image/png")
    response["Cache-Control"] = "public, max-age=300"
    return response
