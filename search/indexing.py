"""Keeping the index in step with the database: single updates, reconcile, full rebuild.

The database is the source of truth (DESIGN.md rule 1); the index is derived and may be
rebuilt at any time. Changes are requested with `request_update(keys)`, which records an
outbox message in the caller's transaction; the job `search.update` runs it after the commit,
re-reads each object and writes or deletes its document.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from outbox import services as outbox
from outbox.models import OutboxMessage

from . import documents
from .backends import get_backend
from .backends.base import SearchBackend, SearchDocument
from .constants import KEYS_PER_MESSAGE, RECONCILE_BATCH

logger = logging.getLogger(__name__)

UPDATE_TARGET = "search.update"


def _backend(backend: SearchBackend | None) -> SearchBackend:
    if backend is not None:
        return backend
    return get_backend()


def request_update(keys: Iterable[str]) -> int:
    """Ask for the documents of `keys` to be refreshed after the current transaction commits.

    Guarantees: nothing happens if the transaction rolls back; the work survives a broker
    outage (outbox); duplicates are dropped. Never touches the search backend itself, so
    publishing never waits on or fails because of search. Returns how many keys it recorded.
    """
    unique = sorted(set(keys))
    for start in range(0, len(unique), KEYS_PER_MESSAGE):
        outbox.enqueue(UPDATE_TARGET, *unique[start : start + KEYS_PER_MESSAGE])
    return len(unique)


@dataclass(frozen=True)
class UpdateResult:
    indexed: int
    deleted: int


def update(keys: Iterable[str], backend: SearchBackend | None = None) -> UpdateResult:
    """Bring the documents of `keys` in line with the database, as it is now.

    Idempotent: public objects are (re)indexed from a fresh read, everything else (deleted,
    unpublished, private, no longer exhibited, unknown keys) is removed from the index.
    Raises `SearchBackendError` when the backend fails, so the outbox retries later.
    """
    keys = set(keys)
    backend = _backend(backend)
    docs = list(documents.documents_for_keys(keys))
    gone = keys - {doc.key for doc in docs}
    indexed = backend.index(docs) if docs else 0
    deleted = backend.delete(sorted(gone)) if gone else 0
    return UpdateResult(indexed=indexed, deleted=deleted)


@dataclass(frozen=True)
class ReconcileResult:
    added: int
    removed: int


def reconcile(backend: SearchBackend | None = None) -> ReconcileResult:
    """Fix differences between the index and the public objects in the database.

    Indexes public objects whose key the index lacks (a lost update, a work that became
    public when its contest's results opened) and deletes keys of objects that are no
    longer public. Cheap when nothing differs: it compares keys, it does not rebuild.
    """
    backend = _backend(backend)
    expected = documents.public_keys()
    present = backend.keys()
    missing = expected - present
    extra = present - expected
    added = 0
    missing_keys = sorted(missing)
    for start in range(0, len(missing_keys), RECONCILE_BATCH):
        batch = missing_keys[start : start + RECONCILE_BATCH]
        added += backend.index(list(documents.documents_for_keys(batch)))
    removed = backend.delete(sorted(extra)) if extra else 0
    if missing or extra:
        logger.info("search reconcile", extra={"added": added, "removed": removed})
    return ReconcileResult(added=added, removed=removed)


def rebuild(
    backend: SearchBackend | None = None, progress: Callable[[int], None] | None = None
) -> int:
    """Replace the whole index with the documents of every public object.

    The backend swaps the new index in (searches keep working meanwhile). `progress`, if
    given, is called with the running count every 500 documents. Returns the count.
    """
    backend = _backend(backend)
    return backend.rebuild(_counting(documents.all_documents(), progress))


def _counting(
    docs: Iterable[SearchDocument], progress: Callable[[int], None] | None
) -> Iterator[SearchDocument]:
    count = 0
    for doc in docs:
        count += 1
        if progress is not None and count % 500 == 0:
            progress(count)
        yield doc
    if progress is not None and count % 500:
        progress(count)


def pending_failures() -> int:
    """How many index updates failed at least once and have not succeeded since.

    Read from the outbox, which keeps each failed attempt's error until a retry succeeds:
    the admin warning shows while this is above zero.
    """
    return (
        OutboxMessage.objects.filter(target=UPDATE_TARGET, completed_at__isnull=True)
        .exclude(last_error="")
        .count()
    )


def request_reconcile() -> None:
    """Ask for a reconcile after the current transaction commits (e.g. after loading data)."""
    outbox.enqueue("search.reconcile")
