"""An anonymised log of searches: what people look for, what finds nothing, and which
searches' first result people do not open.

One row per day, normalised query and backend, with counts: no user, no IP address, no
time of day. Queries that look like personal data (long digit runs such as phone or ID
numbers, e-mail addresses) are not logged at all. Clicks on results are counted by a beacon
from the results page (`record_click`), only against a row the day's searches created.
Old rows are pruned (Celery beat).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum

from kepu.days import local_day
from search.constants import MAX_LOGGED_CHARS, POPULAR_CACHE_SECONDS, POPULAR_DAYS
from search.models import QueryLog
from search.text.normalise import normalise

_PERSONAL = re.compile(r"\d{6,}|@")


def loggable(query: str) -> str:
    """The text to log for `query`, or "" when it must not be logged.

    Normalised by the search pipeline (Traditional → Simplified, full/half width, case), so
    one question counts once however it was typed.
    """
    text = " ".join(normalise(query).split())[:MAX_LOGGED_CHARS]
    if not text or _PERSONAL.search(text):
        return ""
    return text


def record(query: str, results: int, backend: str, day: datetime.date | None = None) -> bool:
    """Count one search of `query` today. Returns False when the query was not logged.

    Safe under concurrency: the (day, query, backend) row is created once (unique
    constraint) and its counter incremented in the database.
    """
    text = loggable(query)
    if not text:
        return False
    day = day or local_day()
    rows = QueryLog.objects.filter(day=day, query=text, backend=backend[:20])
    if not rows.update(searches=F("searches") + 1, results=results):
        try:
            with transaction.atomic():
                QueryLog.objects.create(
                    day=day, query=text, backend=backend[:20], searches=1, results=results
                )
        except IntegrityError:
            rows.update(searches=F("searches") + 1, results=results)
    return True


def record_click(query: str, position: int, backend: str, day: datetime.date | None = None) -> bool:
    """Count one click on the result at `position` (1 = first) of today's search `query`.

    Only a row that today's searches created is counted (a beacon cannot add queries);
    positions beyond the first page are ignored. Returns whether a click was counted.
    """
    text = loggable(query)
    if not text or not 1 <= position <= 10:
        return False
    field = "first_result_clicks" if position == 1 else "other_result_clicks"
    rows = QueryLog.objects.filter(day=day or local_day(), query=text, backend=backend[:20])
    return bool(rows.update(**{field: F(field) + 1}))


@dataclass(frozen=True)
class QueryCount:
    query: str
    searches: int
    results: int
    first_result_clicks: int = 0
    other_result_clicks: int = 0

    @property
    def first_result_share(self) -> float:
        """Share of searches whose first result was opened."""
        return self.first_result_clicks / self.searches if self.searches else 0.0


def top_queries(days: int, *, no_results: bool = False, limit: int = 20) -> list[QueryCount]:
    """The most searched queries of the last `days` days (all backends together).

    With `no_results`, only queries whose latest search found nothing.
    """
    since = local_day() - datetime.timedelta(days=days - 1)
    rows = QueryLog.objects.filter(day__gte=since)
    if no_results:
        rows = rows.filter(results=0)
    rows = (
        rows.values("query")
        .annotate(total=Sum("searches"), found=Max("results"))
        .order_by("-total", "query")[:limit]
    )
    return [QueryCount(row["query"], row["total"], row["found"]) for row in rows]


def unopened_first_results(days: int, limit: int = 20) -> list[QueryCount]:
    """The most searched queries of the last `days` days that found something but whose
    first result fewer than half of the searches opened (most searches without it first):
    where a synonym, a better title or new content would help."""
    since = local_day() - datetime.timedelta(days=days - 1)
    rows = (
        QueryLog.objects.filter(day__gte=since)
        .values("query")
        .annotate(
            total=Sum("searches"),
            found=Max("results"),
            first=Sum("first_result_clicks"),
            other=Sum("other_result_clicks"),
        )
        .filter(found__gt=0, total__gt=2 * F("first"))
        .order_by(F("first") - F("total"), "query")[:limit]
    )
    return [
        QueryCount(row["query"], row["total"], row["found"], row["first"], row["other"])
        for row in rows
    ]


def popular_queries(limit: int = 8) -> list[str]:
    """Queries people searched most in the last POPULAR_DAYS days that found something
    (cached)."""
    key = f"search:popular:{limit}"
    popular = cache.get(key)
    if popular is None:
        rows = QueryLog.objects.filter(
            day__gte=local_day() - datetime.timedelta(days=POPULAR_DAYS - 1), results__gt=0
        )
        popular = list(
            rows.values("query")
            .annotate(total=Sum("searches"))
            .order_by("-total", "query")
            .values_list("query", flat=True)[:limit]
        )
        cache.set(key, popular, POPULAR_CACHE_SECONDS)
    return popular


def prune(now=None) -> int:
    """Delete rows older than SEARCH_QUERY_LOG_KEEP_DAYS. Returns how many were deleted."""
    today = local_day(now)
    cutoff = today - datetime.timedelta(days=settings.SEARCH_QUERY_LOG_KEEP_DAYS)
    deleted, _ = QueryLog.objects.filter(day__lt=cutoff).delete()
    return deleted
