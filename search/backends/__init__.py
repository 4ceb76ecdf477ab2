"""Search backends: `get_backend()` returns the configured one (cached per process).

Elasticsearch when `ELASTICSEARCH_URL` is set, the embedded backend otherwise;
`get_backend("embedded")` is always the embedded one (the site falls back to it when
Elasticsearch is down).
"""

from __future__ import annotations

import threading

from django.conf import settings

from search.backends.base import SearchBackend

_backends: dict[str, SearchBackend] = {}
_lock = threading.Lock()


def configured_backend_name() -> str:
    return "elastic" if getattr(settings, "ELASTICSEARCH_URL", "") else "embedded"


def get_backend(name: str | None = None) -> SearchBackend:
    """The backend called `name` ("embedded" or "elastic"), else the configured one."""
    name = name or configured_backend_name()
    backend = _backends.get(name)
    if backend is None:
        with _lock:
            backend = _backends.get(name)
            if backend is None:
                backend = _create(name)
                _backends[name] = backend
    return backend


def reset_backends() -> None:
    """Forgets the cached backends (settings changed, e.g. in tests)."""
    with _lock:
        _backends.clear()


def _create(name: str) -> SearchBackend:
    if name == "embedded":
        from search.backends.embedded import EmbeddedBackend

        return EmbeddedBackend()
    if name == "elastic":
        from search.backends.elastic import ElasticsearchBackend

        return ElasticsearchBackend(
            url=settings.ELASTICSEARCH_URL,
            index_prefix=getattr(settings, "KEPU_SEARCH_INDEX_PREFIX", "kepu"),
        )
    raise ValueError(f"unknown search backend: {name!r}")
