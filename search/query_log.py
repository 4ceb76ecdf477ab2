"""An anonymised log of searches: what people look for and what finds nothing.

One row per day, normalised query and backend, with a count: no user, no IP address, no
time of day. Queries that look like personal data (long digit runs such as phone or ID
numbers, e-mail addresses) are not logged at all. Old rows are pruned (Celery beat).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_LOGGED_CHARS = 100
POPULAR_CACHE_SECONDS = 600
_PERSONAL = re.compile(r"\d{6,}|@")


class QueryLog(models.Model):
    day = models.DateField(_("day"))
    query = models.CharField(_("query"), max_length=MAX_LOGGED_CHARS)
    backend = models.CharField(_("search backend"), max_length=20)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    results = models.PositiveIntegerField(_("results (latest)"), default=0)

    class Meta:
        verbose_name = _("search query")
        verbose_name_plural = _("search queries")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "query", "backend"], name="search_querylog_unique_per_day"
            )
        ]
        indexes = [models.Index(fields=["day", "results"], name="search_querylog_day_idx")]

    def __str__(self):
        return self.query


def loggable(query: str) -> str:
    """The text to log for `query`, or "" when it must not be logged.

    Normalised by the search pipeline (Traditional → Simplified, full/half width, case), so
    one question counts once however it was typed.
    """
    from . import pipeline

    text = " ".join(pipeline.normalise(query).split())[:MAX_LOGGED_CHARS]
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
    day = day or timezone.localdate()
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


@dataclass(frozen=True)
class QueryCount:
    query: str
    searches: int
    results: int


def top_queries(days: int, *, no_results: bool = False, limit: int = 20) -> list[QueryCount]:
    """The most searched queries of the last `days` days (all backends together).

    With `no_results`, only queries whose latest search found nothing.
    """
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    rows = QueryLog.objects.filter(day__gte=since)
    if no_results:
        rows = rows.filter(results=0)
    rows = (
        rows.values("query")
        .annotate(total=Sum("searches"), found=models.Max("results"))
        .order_by("-total", "query")[:limit]
    )
    return [QueryCount(row["query"], row["total"], row["found"]) for row in rows]


def popular_queries(limit: int = 8) -> list[str]:
    """Queries people searched most in the last 30 days that found something (cached)."""
    key = f"search:popular:{limit}"
    popular = cache.get(key)
    if popular is None:
        rows = QueryLog.objects.filter(
            day__gte=timezone.localdate() - datetime.timedelta(days=29), results__gt=0
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
    today = timezone.localdate(now)
    cutoff = today - datetime.timedelta(days=settings.SEARCH_QUERY_LOG_KEEP_DAYS)
    deleted, _ = QueryLog.objects.filter(day__lt=cutoff).delete()
    return deleted
