"""Answering readers: the configured backend, the embedded one when it fails, never an error.

What the search page and the suggestions endpoint call (search/views.py only parses the
request and renders). The configured backend (Elasticsearch when `ELASTICSEARCH_URL` is set)
answers; if it raises, the embedded backend does, and the configured one is skipped for
BACKEND_RETRY_SECONDS so readers do not each wait for a dead cluster's timeout. If the
embedded backend fails too, the answer is None and the page says search is unavailable.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse

from search import query_log, suggestions
from search.backends import configured_backend_name, get_backend
from search.backends.base import SearchBackend, SearchQuery, SearchResults
from search.constants import BACKEND_RETRY_SECONDS, SUGGEST_LIMIT, SUGGEST_TERMS

logger = logging.getLogger(__name__)

_DOWN_KEY = "search:backend-down:"

T = TypeVar("T")


def _with_fallback(call: Callable[[SearchBackend], T], what: str) -> T | None:
    """`call(backend)` on the configured backend, else on the embedded one; None if both fail.

    After the configured backend fails, it is skipped for BACKEND_RETRY_SECONDS.
    """
    configured = configured_backend_name()
    names = [configured] if configured == "embedded" else [configured, "embedded"]
    if cache.get(_DOWN_KEY + configured):
        names = names[1:] or names
    for name in names:
        try:
            return call(get_backend(name))
        except Exception:
            # SearchBackendError above all, but a reader never sees any error: log and fall back.
            logger.warning("search %s failed", what, extra={"backend": name}, exc_info=True)
            if name == configured and name != "embedded":
                cache.set(_DOWN_KEY + name, True, BACKEND_RETRY_SECONDS)
    return None


def search(query: SearchQuery) -> tuple[SearchResults | None, str]:
    """Results and the answering backend's name; (None, "") if no backend could answer.
    Never raises."""
    answer = _with_fallback(lambda backend: (backend.search(query), backend.name), "query")
    return answer or (None, "")


def suggest(prefix: str, limit: int = SUGGEST_LIMIT) -> list[dict] | None:
    """Suggestions as plain dicts, at most `limit`: words to search for (dictionary words,
    synonyms, popular searches, kind "query") first, then pages whose title completes the
    prefix; a word that is also a page's title is offered as the page. None if no backend
    could answer. Never raises."""
    titles = _with_fallback(
        lambda backend: [
            {"title": s.title, "url": s.url, "kind": s.kind} for s in backend.suggest(prefix, limit)
        ],
        "suggest",
    )
    if titles is None:
        return None
    page_titles = {t["title"] for t in titles}
    terms = [
        {"title": term, "url": reverse("search") + "?" + urlencode({"q": term}), "kind": "query"}
        for term in suggestions.suggest_terms(prefix, min(SUGGEST_TERMS, limit))
        if term not in page_titles
    ]
    return (terms + titles)[:limit]


def did_you_mean(q: str, suggested: list[dict]) -> str:
    """A better query for one that found nothing: a close, successful logged query, else the
    first of `suggested` titles that differs from it (which covers pinyin such as "kepu");
    "" when there is none."""
    close = difflib.get_close_matches(q.lower(), query_log.popular_queries(200), n=1, cutoff=0.6)
    if close and close[0] != q.lower():
        return close[0]
    for suggestion in suggested:
        if suggestion["title"] != q:
            return suggestion["title"]
    return ""
