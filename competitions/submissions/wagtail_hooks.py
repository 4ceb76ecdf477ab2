"""Contest administration in Wagtail: each concept's admin module is imported here."""

from wagtail import hooks

# Contests and entries (作品征集 menu); results (exhibited entries, export downloads).
from . import (
    admin,  # noqa: F401
    contest_results_admin,  # noqa: F401
    results_admin,  # noqa: F401
)


@hooks.register("kepu_open_now")
def open_contests(now):
    """Contests taking entries and public votes open now, for the home page's first screen
    (content/open_now.py)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from content.open_now import OpenItem, OpenNow, earliest_after

    from .models import ContestPage

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


@hooks.register("kepu_load_demo")
def load_demo_contests(home, report):
    from .demo import load

    load(home, report)


@hooks.register("kepu_load_demo", order=90)
def publish_demo_contest_results(home, report):
    """After the judging (order 20) and voting (order 30) demos: publish from their data."""
    from .demo import publish_demo_results

    publish_demo_results(report)
