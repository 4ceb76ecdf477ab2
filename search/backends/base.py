"""The one small interface every search backend implements.

Documents and queries go through the text core, `search.text` (normalisation, segmentation,
bigrams, synonyms), before they reach a backend, so the Elasticsearch and embedded backends
see the same tokens and must find the same documents. The shared behavioural suite in
tests/search/ runs against each backend.
"""

from __future__ import annotations

import abc
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

# Document kinds, also the "type" facet. Keep the identifiers stable: they are stored.
KINDS = ("article", "video", "campaign", "page", "topic", "quiz", "contest", "work", "book")


@dataclass(frozen=True)
class SearchDocument:
    """Everything public about one object, as plain text; built by the sources apps register
    (`search.documents`).

    `key` is unique across all kinds ("page:12", "quiz:3", "work:45"). Text fields are the
    original (unanalysed) text; backends analyse them with the shared pipeline.
    `suggest` holds the completion inputs (title, its pinyin in full and initials) computed
    at index time, so pypinyin never loads in a web process.
    """

    key: str
    kind: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    topics: tuple[str, ...] = ()
    section: str = ""
    date: datetime.datetime | None = None
    image_url: str = ""
    suggest: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchQuery:
    """A parsed, bounded query. `text` may be anything a user typed (the pipeline copes)."""

    text: str
    kinds: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: Literal["relevance", "date"] = "relevance"
    offset: int = 0
    limit: int = 10


@dataclass(frozen=True)
class Hit:
    key: str
    kind: str
    title: str
    url: str
    # HTML-escaped text with matches wrapped in <mark>…</mark>; safe to render as is.
    snippet: str
    title_highlighted: str
    date: datetime.datetime | None
    image_url: str = ""
    topics: tuple[str, ...] = ()
    score: float = 0.0


@dataclass(frozen=True)
class SearchResults:
    hits: list[Hit]
    total: int
    # {"kind": {"article": 12, "video": 3}, "topic": {"天文": 4}} over all matches
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # True when no document matched enough of the query's words (search.ranking's
    # minimum_should_match) and these results match only some of them.
    partial: bool = False


@dataclass(frozen=True)
class Suggestion:
    title: str
    url: str
    kind: str


class SearchBackendError(Exception):
    """The backend could not be reached or refused the request (callers fall back)."""


class SearchBackend(abc.ABC):
    name: str = ""

    @abc.abstractmethod
    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents by key, in bulk. Returns how many were written."""

    @abc.abstractmethod
    def delete(self, keys: Iterable[str]) -> int:
        """Remove documents by key; unknown keys are ignored. Returns how many existed."""

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResults:
        """Ranked, highlighted, faceted results. Never raises for odd query text."""

    @abc.abstractmethod
    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles completing `prefix`, which may be Chinese or pinyin (full or initials)."""

    @abc.abstractmethod
    def keys(self) -> set[str]:
        """Every key in the index (the reconcile task compares them with the database)."""

    @abc.abstractmethod
    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        """Replace the whole index with `documents`; searches keep working meanwhile."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Remove every document (tests, and before a rebuild where no swap is possible)."""

    @abc.abstractmethod
    def ping(self) -> bool:
        """True when the backend answers."""
