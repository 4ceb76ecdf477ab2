"""The search page (/search/), the suggestions endpoint (/search/suggest/) and the results
page's click beacon (/search/click/).

Thin views: parameters are parsed leniently (anything odd is ignored with a message, never
an error), `search.service` answers (the configured backend, the embedded one when it
fails), and a clear message (503) is shown when neither can. pypinyin is never loaded here:
pinyin suggestions come from inputs computed at index time or by a worker.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from kepu import ratelimit
from kepu.days import local_day
from kepu.http import client_ip

from . import query_log, service
from .backends.base import KINDS, SearchQuery, SearchResults
from .constants import (
    MAX_PAGES,
    MAX_QUERY_CHARS,
    MAX_SUGGEST_CHARS,
    MAX_TOPIC_CHARS,
    PAGE_SIZE,
    SUGGEST_CACHE_SECONDS,
    TOPIC_FACETS,
)

KIND_LABELS = {
    "article": gettext_lazy("Articles"),
    "video": gettext_lazy("Videos"),
    "campaign": gettext_lazy("Campaigns"),
    "page": gettext_lazy("Sections"),
    "topic": gettext_lazy("Topics"),
    "quiz": gettext_lazy("Quizzes"),
    "contest": gettext_lazy("Contests"),
    "work": gettext_lazy("Exhibited works"),
    "book": gettext_lazy("Drifting books"),
}
RANGES = {
    "week": (7, gettext_lazy("Past week")),
    "month": (30, gettext_lazy("Past month")),
    "year": (365, gettext_lazy("Past year")),
}
# NUL and other control characters never reach a backend.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_text(raw: str, limit: int) -> tuple[str, bool]:
    """`raw` without control characters, whitespace collapsed, at most `limit` characters.

    Returns the text and whether it had to be shortened.
    """
    text = " ".join(_CONTROL.sub(" ", raw[: limit * 4]).split())
    return text[:limit], len(text) > limit or len(raw) > limit * 4


@dataclass
class Params:
    q: str = ""
    kind: str = ""
    topic: str = ""
    range: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = "relevance"
    page: int = 1
    notices: list[str] = field(default_factory=list)

    def as_query(self) -> SearchQuery:
        return SearchQuery(
            text=self.q,
            kinds=(self.kind,) if self.kind else (),
            topics=(self.topic,) if self.topic else (),
            date_from=self.date_from,
            date_to=self.date_to,
            sort="date" if self.sort == "date" else "relevance",
            offset=(self.page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )

    def url(self, **changes) -> str:
        """This search's address with `changes` (None removes a parameter); page resets."""
        values = {
            "q": self.q,
            "kind": self.kind,
            "topic": self.topic,
            "range": self.range,
            "from": self.date_from.isoformat() if self.date_from and not self.range else "",
            "to": self.date_to.isoformat() if self.date_to and not self.range else "",
            "sort": self.sort if self.sort != "relevance" else "",
        }
        values.update({key: value or "" for key, value in changes.items()})
        return "?" + urlencode({key: value for key, value in values.items() if value})


def _parse_date(raw: str, notices: list[str]) -> datetime.date | None:
    raw = raw.strip()[:20]
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        notices.append(_("The date “%(date)s” is not valid and was ignored.") % {"date": raw})
        return None


def parse_params(data) -> Params:
    """Search parameters from a query dict; anything invalid is dropped with a notice."""
    params = Params()
    notices = params.notices
    params.q, shortened = clean_text(data.get("q", ""), MAX_QUERY_CHARS)
    if shortened:
        notices.append(
            _("Your search was long; only its first %(n)d characters were used.")
            % {"n": MAX_QUERY_CHARS}
        )
    kind = data.get("kind", "").strip()
    if kind in KINDS:
        params.kind = kind
    elif kind:
        notices.append(_("That type does not exist; showing all types."))
    params.topic, _shortened = clean_text(data.get("topic", ""), MAX_TOPIC_CHARS)
    range_ = data.get("range", "").strip()
    if range_ in RANGES:
        params.range = range_
        params.date_from = local_day() - datetime.timedelta(days=RANGES[range_][0])
    else:
        if range_:
            notices.append(_("That time range does not exist; showing any date."))
        params.date_from = _parse_date(data.get("from", ""), notices)
        params.date_to = _parse_date(data.get("to", ""), notices)
        if params.date_from and params.date_to and params.date_from > params.date_to:
            notices.append(_("The start date was after the end date; dates were ignored."))
            params.date_from = params.date_to = None
    sort = data.get("sort", "").strip()
    if sort in ("relevance", "date"):
        params.sort = sort
    elif sort:
        notices.append(_("Results are sorted by relevance."))
    raw_page = data.get("page", "").strip()
    if raw_page:
        try:
            page = int(raw_page[:6])
        except ValueError:
            page = 0
        if 1 <= page <= MAX_PAGES:
            params.page = page
        else:
            notices.append(_("That page does not exist; showing the first page."))
    return params


def _facets(params: Params, results: SearchResults) -> dict:
    kinds = [
        {
            "label": KIND_LABELS.get(kind, kind),
            "count": count,
            "url": params.url(kind=kind),
            "selected": params.kind == kind,
        }
        for kind, count in sorted(results.facets.get("kind", {}).items(), key=lambda i: -i[1])
        if count
    ]
    topics = [
        {
            "label": topic,
            "count": count,
            "url": params.url(topic=topic),
            "selected": params.topic == topic,
        }
        for topic, count in sorted(results.facets.get("topic", {}).items(), key=lambda i: -i[1])[
            :TOPIC_FACETS
        ]
        if count
    ]
    return {"kinds": kinds, "topics": topics}


def _chosen_filters(params: Params) -> list[str]:
    """The filters and order in force, in words, for the folded filter panel's summary."""
    chosen = [KIND_LABELS.get(params.kind, params.kind) if params.kind else _("All types")]
    if params.topic:
        chosen.append(params.topic)
    if params.range:
        chosen.append(str(RANGES[params.range][1]))
    elif params.date_from or params.date_to:
        start = params.date_from.isoformat() if params.date_from else ""
        end = params.date_to.isoformat() if params.date_to else ""
        chosen.append(f"{start}–{end}")
    else:
        chosen.append(_("Any time"))
    chosen.append(_("Newest first") if params.sort == "date" else _("Most relevant first"))
    return [str(item) for item in chosen]


@require_safe
def search(request):
    """Full-text search over everything public, with facets, dates, sorting and pages."""
    params = parse_params(request.GET)
    context = {
        "params": params,
        "query": params.q,
        "notices": params.notices,
        "ranges": [
            {"value": key, "label": label, "url": params.url(range=key, **{"from": "", "to": ""})}
            for key, (_days, label) in RANGES.items()
        ],
        "any_date_url": params.url(range="", **{"from": "", "to": ""}),
        "all_kinds_url": params.url(kind=""),
        "all_topics_url": params.url(topic=""),
        "sort_urls": {"relevance": params.url(sort=""), "date": params.url(sort="date")},
        "chosen_filters": _chosen_filters(params),
    }
    status = 200
    if not params.q:
        context["popular"] = query_log.popular_queries()
        return render(request, "search/search.html", context)
    results, backend_name = service.search(params.as_query())
    if results is None:
        context["unavailable"] = True
        return render(request, "search/search.html", context, status=503)
    pages = max(1, math.ceil(results.total / PAGE_SIZE))
    if params.page > pages and results.total:
        params.notices.append(_("That page does not exist; showing the first page."))
        params.page = 1
        results, backend_name = service.search(params.as_query())
        if results is None:
            context["unavailable"] = True
            return render(request, "search/search.html", context, status=503)
    if params.page == 1:
        query_log.record(params.q, results.total, backend_name)
    context.update(
        backend_name=backend_name,
        results=results,
        hits=[(hit, KIND_LABELS.get(hit.kind, hit.kind)) for hit in results.hits],
        first_number=(params.page - 1) * PAGE_SIZE + 1,
        facets=_facets(params, results),
        page=params.page,
        pages=min(pages, MAX_PAGES),
        previous_url=params.url(page=params.page - 1) if params.page > 1 else "",
        next_url=params.url(page=params.page + 1) if params.page < min(pages, MAX_PAGES) else "",
        filtered=bool(params.kind or params.topic or params.date_from or params.date_to),
    )
    if not results.total:
        suggestions = service.suggest(params.q, 5) or []
        context.update(
            suggestions=suggestions,
            did_you_mean=service.did_you_mean(params.q, suggestions),
            popular=query_log.popular_queries(),
        )
    return render(request, "search/search.html", context, status=status)


@require_safe
def suggest(request):
    """Titles completing `q` (Chinese, pinyin in full or initials) as JSON; rate limited and
    cached briefly. Never an error for odd input: an empty list."""
    prefix, _shortened = clean_text(request.GET.get("q", ""), MAX_SUGGEST_CHARS)
    if not prefix:
        return JsonResponse({"query": "", "suggestions": []})
    window = ratelimit.increment(
        "search-suggest", client_ip(request), 60, on_outage=ratelimit.FAIL_OPEN
    )
    if window > settings.SEARCH_SUGGEST_PER_MINUTE:
        response = JsonResponse(
            {"query": prefix, "suggestions": [], "error": _("Too many requests. Wait a moment.")},
            status=429,
        )
        response["Retry-After"] = "60"
        return response
    key = "search:suggest:" + hashlib.sha256(prefix.lower().encode()).hexdigest()[:32]
    suggestions = cache.get(key)
    if suggestions is None:
        suggestions = service.suggest(prefix)
        if suggestions is None:
            return JsonResponse({"query": prefix, "suggestions": [], "unavailable": True})
        cache.set(key, suggestions, SUGGEST_CACHE_SECONDS)
    response = JsonResponse({"query": prefix, "suggestions": suggestions})
    patch_cache_control(response, public=True, max_age=SUGGEST_CACHE_SECONDS)
    return response


@csrf_exempt
@never_cache
@require_POST
def click(request):
    """Counts a click on a result of the first page (204), sent by static/js/search.js:
    the query, the result's position and the answering backend, nothing about the reader.

    CSRF-exempt on purpose: it changes nothing but a counter of a search logged today, and
    a beacon carries no token. Beacons past the per-IP limit, or about searches that were
    not logged today, answer 204 uncounted.
    """
    beacons = ratelimit.increment(
        "search-click", client_ip(request), 60, on_outage=ratelimit.FAIL_OPEN
    )
    if beacons <= settings.SEARCH_CLICKS_PER_MINUTE:
        query, _shortened = clean_text(request.POST.get("q", ""), MAX_QUERY_CHARS)
        try:
            position = int(request.POST.get("position", "")[:3])
        except ValueError:
            position = 0
        backend = request.POST.get("backend", "")[:20]
        # A backend's name (embedded, postgres, elasticsearch): anything else is no click.
        if backend.isascii() and backend.isidentifier():
            query_log.record_click(query, position, backend)
    return HttpResponse(status=204)
