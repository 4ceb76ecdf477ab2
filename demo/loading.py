"""The whole demo, loaded in order: pages, quizzes, contests, judging, votes, popularity, book
drift, then the contest results that follow from the judges' scores and the votes.

Each step is idempotent (it creates what is missing and keeps what exists), so loading twice
changes nothing. Everything runs in one transaction; Wagtail's per-save indexing is done once
at the end (demo/background.py) and the site search catches up after the commit.
"""

from django.db import transaction

from content.sites import follow_public_address
from kepu.public_url import public_base_url
from search.indexing import request_reconcile
from search.suggestions import request_refresh

from . import bookdrift, content, contests, judging, popularity, quizzes, voting
from .background import bulk_indexing


def request_search_update(report: list[str]) -> None:
    """The demo is searchable right away: a reconcile runs once the demo data is committed."""
    request_reconcile()
    request_refresh()
    report.append("Search index and suggested terms: brought up to date after loading.")


def load_demo() -> list[str]:
    """Creates whatever part of the demo is missing; returns the summary, one line per part.

    Guarantees: all or nothing (one transaction); a second run creates nothing and keeps
    local changes (an edited organiser name, a renamed root page)."""
    with transaction.atomic(), bulk_indexing():
        report = content.load()
        home = content.ensure_home_page()[0]
        quizzes.load(home, report)
        contests.load(home, report)
        request_search_update(report)
        judging.load(home, report)
        voting.load(home, report)
        popularity.load(report)
        bookdrift.load(home, report)
        contests.publish_demo_results(report)
        if follow_public_address():
            report.append(f"Site address: {public_base_url()}")
    return report
