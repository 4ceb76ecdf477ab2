"""Celery tasks of search: thin wrappers around `search.indexing` and `search.query_log`."""

from celery import shared_task

from outbox.jobs import job

from . import indexing
from .query_log import prune
from .suggestions import refresh_terms


@shared_task(name="search.update")
@job("search.update")
def update(*keys: str) -> int:
    """Re-read the objects of `keys` and index or delete their documents (idempotent).

    The outbox target of `indexing.request_update`. A failing backend raises, so the outbox
    records the error and retries with back-off; the admin shows a warning meanwhile.
    """
    result = indexing.update(keys)
    return result.indexed + result.deleted


@shared_task(name="search.reconcile")
@job("search.reconcile")
def reconcile() -> int:
    """Scheduled: index what is missing, delete what is no longer public (Celery beat)."""
    result = indexing.reconcile()
    return result.added + result.removed


@shared_task(name="search.prune_query_log")
def prune_query_log() -> int:
    """Scheduled: delete query-log rows older than SEARCH_QUERY_LOG_KEEP_DAYS."""
    return prune()


@shared_task(name="search.refresh_suggestions")
@job("search.refresh_suggestions")
def refresh_suggestions() -> int:
    """Rebuild the suggested terms (dictionary words, synonyms, popular searches) with their
    pinyin: after the word lists change (outbox) and on a schedule (Celery beat)."""
    return refresh_terms()
