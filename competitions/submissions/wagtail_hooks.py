"""Contest administration in Wagtail: each concept's admin module is imported here."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from accounts.my_page import ITEMS
from content.open_now import OpenItem, OpenNow, earliest_after

# Contests and entries (作品征集 menu); the results desk, exhibited entries, export downloads.
from . import viewsets  # noqa: F401
from .entry_actions.actions import ACTIONS
from .models import ContestPage, Entry
from .results import viewsets as results_viewsets  # noqa: F401
from .results.awards import visible_certificates

for _action in ACTIONS:
    hooks.register("register_bulk_action", _action)


@hooks.register("kepu_open_now")
def open_contests(now):
    """Contests taking entries and public votes open now, for the home page's first screen
    (content/open_now.py)."""
    items, moments = [], []
    for page in ContestPage.objects.live().public().select_related("contest"):
        contest = page.contest
        moments.extend(page.change_moments())
        if contest.accepts_entries(now):
            items.append(
                OpenItem(
                    _("Contest"), page.title, page.url, _("Enter"), contest.submission_closes_at
                )
            )
        if contest.voting_open(now):
            items.append(
                OpenItem(
                    _("Public vote"),
                    page.title,
                    reverse("voting:ranking", args=[contest.pk]),
                    _("Vote"),
                    contest.voting_closes_at,
                )
            )
    return OpenNow(items=items, next_change=earliest_after(now, moments))


@hooks.register("kepu_my_sections")
def my_contest_entries(request):
    """The 我的 page's entries: status, entry number, receipt and award certificates."""
    entries = list(
        Entry.objects.filter(author=request.user)
        .exclude(status=Entry.Status.WITHDRAWN)
        .select_related("contest")
        .order_by("-created_at")[:ITEMS]
    )
    if not entries:
        return None
    awards = {}
    for certificate in visible_certificates(request.user):
        awards.setdefault(certificate.award.entry_id, []).append(certificate)
    for entry in entries:
        entry.my_certificates = awards.get(entry.pk, [])
    return {
        "template": "submissions/includes/my_entries_section.html",
        "anchor": "my-entries",
        "label": _("My entries"),
        "entries": entries,
        "order": 20,
    }
