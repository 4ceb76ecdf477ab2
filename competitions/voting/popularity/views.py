"""Public popularity pages: the counted share link, comments, the popularity ranking."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from competitions.submissions.models import Contest, Entry
from kepu import ratelimit
from kepu.http import client_ip

from . import services

PAGE_SIZE = 100


def _entry(contest_id: int, number: int) -> Entry:
    entry = (
        Entry.objects.select_related("contest", "group")
        .filter(contest_id=contest_id, number=number, status=Entry.Status.SUBMITTED)
        .first()
    )
    if entry is None:
        raise Http404(_("There is no such entry."))
    return entry


@never_cache
@require_safe
def share(request, contest_id: int, number: int):
    """An entry's share link (and its share card's QR code): counts the opening once per
    visitor and day, then shows the entry's vote page."""
    entry = _entry(contest_id, number)
    ip = client_ip(request)
    if ratelimit.increment("popularity-share-ip", ip, 60) <= settings.KEPU_VOTING_IP_PER_MINUTE:
        services.record_share_open(
            entry,
            user=request.user,
            ip=ip,
            user_agent=request.headers.get("User-Agent", ""),
            via=request.GET.get("via", "link"),
        )
    return redirect("voting:entry", contest_id, number)


@require_POST
def comment(request, contest_id: int, number: int):
    """Adds a comment (plain form post); minors' comments wait for approval."""
    entry = _entry(contest_id, number)
    back = reverse("voting:entry", args=[contest_id, number]) + "#comments"
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    limit = settings.KEPU_POPULARITY_COMMENTS_PER_USER_PER_HOUR
    if ratelimit.increment("popularity-comment", str(request.user.pk), 3600) > limit:
        messages.error(request, _("Too many comments in a short time. Please wait a while."))
        return redirect(back)
    try:
        token = uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        messages.error(request, _("This form has expired. Please write your comment again."))
        return redirect(back)
    try:
        result = services.add_comment(
            entry,
            request.user,
            request.POST.get("text", ""),
            token=token,
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(back)
    if result.comment.status == result.comment.Status.PENDING:
        messages.info(request, _("Thank you! Your comment will appear once it is approved."))
    else:
        messages.success(request, _("Thank you for your comment."))
    return redirect(back)


@require_safe
def ranking(request, contest_id: int):
    """The popularity ranking (人气榜) with each entry's votes, shares and comments."""
    contest = get_object_or_404(Contest, pk=contest_id)
    groups = list(contest.groups.all())
    try:
        group_id = int(request.GET.get("group") or 0)
    except ValueError:
        group_id = 0
    if group_id not in {group.pk for group in groups}:
        group_id = 0
    page = Paginator(services.ranking(contest, group_id or None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "popularity/ranking.html",
        {
            "contest": contest,
            "groups": groups,
            "group_id": group_id,
            "page": page,
            "rule": services.rule_for(contest),
        },
    )
