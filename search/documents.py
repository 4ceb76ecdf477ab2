"""What is searchable: the registry other apps put their public objects in.

Each app owns its documents (as consumerfinance.gov's apps do): its `search.py` module says
which of its objects the public may see and how each becomes a `SearchDocument`, and
registers that here; search never imports an app. `SearchConfig.ready()` imports every
installed app's `search` module (Django's `autodiscover_modules`, as the admin does with
`admin.py`), so an app needs no other wiring.

- `register_source(Source(...))`: objects under their own key prefix ("topic:3", "work:45",
  "book:7"): the queryset of public objects now, and their documents built in bulk.
- `register_page_type(PageType(...))`: a Wagtail page type in the one "page" source
  (search/pages.py owns what is generic: live, no view restriction, sections, addresses,
  lead-image renditions); the app says what the page's text, topics, date and image are.
- `visibility_changed.send(sender=Model, pks=[...])`: what the public may see of these
  objects changed (they appeared, changed or went away). Search asks for their documents
  to be refreshed after the commit (search/signals.py); Wagtail's own page signals
  (publish, unpublish, move, delete, privacy) are search's to listen to.

Every source's document bodies are cut at MAX_BODY_CHARS here, and documents without
`suggest` inputs (title, pinyin in full and initials) get their title's. Documents are built
in the Celery worker, so pypinyin stays out of the web processes.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.dispatch import Signal
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.blocks import StreamValue
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.rich_text import RichText

from search.backends.base import SearchDocument
from search.constants import MAX_BODY_CHARS
from search.text.pinyin import suggest_inputs

__all__ = [
    "PageContent",
    "PageType",
    "SearchDocument",
    "Source",
    "html_text",
    "register_page_type",
    "register_source",
    "stream_text",
    "visibility_changed",
]

visibility_changed = Signal()
"""Sent by an app with `sender` (a model registered here, or a page type) and `pks` (a list
or a values_list queryset; at most MAX_SUBTREE_KEYS of them are refreshed)."""


# --- the registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One kind of searchable object and how it becomes documents.

    `public()`: the queryset of `model` objects the public may see now; `documents(qs)`: the
    documents of the objects in `qs` (assumed public), with a bounded number of queries.
    """

    prefix: str
    model: type
    public: Callable[[], object]
    documents: Callable[[object], Iterator[SearchDocument]]

    def key(self, pk: int) -> str:
        """The document key of the object `pk` ("topic:3")."""
        return f"{self.prefix}:{pk}"

    def public_keys(self) -> set[str]:
        return {self.key(pk) for pk in self.public().values_list("pk", flat=True)}


@dataclass(frozen=True)
class PageContent:
    """What a page type contributes to its page's document (search adds the key, title,
    address, section and suggestions). `date`: a date is midnight in the site's time zone;
    `image`: a Wagtail image, shown as a small rendition beside the result."""

    summary: str = ""
    body: str = ""
    topics: tuple[str, ...] = ()
    date: datetime.date | datetime.datetime | None = None
    image: object | None = None


@dataclass(frozen=True)
class PageType:
    """A searchable page type: its document kind (one of `backends.base.KINDS`), its
    content, and the relations to load with it (so a rebuild costs a few queries per type)."""

    model: type[Page]
    kind: str
    content: Callable[[Page], PageContent]
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()


_sources: dict[str, Source] = {}
_page_types: dict[type, PageType] = {}


def _finished(doc: SearchDocument) -> SearchDocument:
    """`doc` with its body cut at MAX_BODY_CHARS and its title's suggestion inputs if it
    has none."""
    if len(doc.body) > MAX_BODY_CHARS:
        doc = dataclasses.replace(doc, body=doc.body[:MAX_BODY_CHARS])
    if not doc.suggest:
        doc = dataclasses.replace(doc, suggest=suggest_inputs(doc.title))
    return doc


def register_source(source: Source) -> Source:
    """Makes `source.model`'s public objects searchable under `source.prefix` (registering
    the same prefix again replaces it). Returns the source, whose `key(pk)` names documents."""
    _sources[source.prefix] = dataclasses.replace(
        source, documents=lambda queryset: map(_finished, source.documents(queryset))
    )
    return source


def register_page_type(page_type: PageType) -> PageType:
    """Makes live, unrestricted pages of `page_type.model` searchable (key "page:<id>")."""
    _page_types[page_type.model] = page_type
    return page_type


def page_types() -> dict[type, PageType]:
    """Every searchable page type, in the order the apps registered them."""
    return dict(_page_types)


def sources() -> dict[str, Source]:
    """Every source by key prefix, in the order they were registered (pages first)."""
    return dict(_sources)


def source_of(model: type) -> Source:
    """The source documenting `model`'s objects (a page type's: the page source).
    Raises LookupError for a model nobody registered."""
    for source in _sources.values():
        if source.model is model:
            return source
    for source in _sources.values():
        if issubclass(model, source.model):
            return source
    raise LookupError(f"{model.__name__} is not a registered search source")


# --- reading the registry ----------------------------------------------------------------------


def parse_key(key: str) -> tuple[Source, int] | None:
    prefix, _, pk = str(key).partition(":")
    source = _sources.get(prefix)
    if source is None or not pk.isdigit():
        return None
    return source, int(pk)


def document_for_key(key: str) -> SearchDocument | None:
    """The current document for `key`, re-read from the database; None when not public."""
    parsed = parse_key(key)
    if parsed is None:
        return None
    source, pk = parsed
    return next(source.documents(source.public().filter(pk=pk)), None)


def all_documents() -> Iterator[SearchDocument]:
    """Every public document, source by source, built in bulk."""
    for source in sources().values():
        yield from source.documents(source.public())


def public_keys() -> set[str]:
    """The keys of every public object (what the index should hold)."""
    keys: set[str] = set()
    for source in sources().values():
        keys |= source.public_keys()
    return keys


def documents_for_keys(keys: Iterable[str]) -> Iterator[SearchDocument]:
    """Documents for the public objects among `keys`, in bulk per source."""
    wanted: dict[str, set[int]] = {}
    for key in keys:
        parsed = parse_key(key)
        if parsed is not None:
            wanted.setdefault(parsed[0].prefix, set()).add(parsed[1])
    for prefix, pks in wanted.items():
        source = _sources[prefix]
        yield from source.documents(source.public().filter(pk__in=pks))


# --- text of Wagtail content, for the apps' documents ------------------------------------------


def html_text(value: str) -> str:
    """Plain text of an HTML fragment (rich text), entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(value or "")).split())


def stream_text(stream) -> str:
    """The readable text of a StreamField value, from every block kind, cut at MAX_BODY_CHARS.

    Walks the block definitions generically (streams, structs, lists, rich text, tables,
    chosen documents and snippets), so a block added later is covered without changes here.
    Images, embeds and URLs carry no reader text and are skipped.
    """
    if stream is None:
        return ""
    parts = [text for text in _stream_parts(stream) if text]
    return " ".join(" ".join(parts).split())[:MAX_BODY_CHARS]


def _stream_parts(stream) -> Iterator[str]:
    for child in stream:
        yield from _block_parts(child.block, child.value)


def _block_parts(block, value) -> Iterator[str]:
    if value is None:
        return
    if isinstance(value, StreamValue):
        yield from _stream_parts(value)
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            yield from _block_parts(child_block, value.get(name))
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            yield from _block_parts(block.child_block, item)
    elif isinstance(value, RichText):
        yield html_text(value.source)
    elif isinstance(block, ImageChooserBlock | EmbedBlock | blocks.URLBlock | blocks.StaticBlock):
        return
    elif isinstance(block, blocks.RawHTMLBlock):
        yield html_text(str(value))
    elif isinstance(value, dict) and "data" in value:
        # Tables (TableBlock): a caption and rows of cells.
        yield str(value.get("table_caption") or "")
        for row in value.get("data") or []:
            yield " ".join(str(cell) for cell in row or [] if cell)
    elif isinstance(value, str):
        yield value
    elif isinstance(value, Page):
        return  # a link to another page: that page has its own document
    elif hasattr(value, "_meta"):
        # A chosen document or snippet: its title is what readers see.
        yield str(getattr(value, "title", "") or value)


def aware(day: datetime.date | datetime.datetime | None) -> datetime.datetime | None:
    """A reader-facing date as an aware datetime (a date: midnight in the site's time zone)."""
    if day is None:
        return None
    if isinstance(day, datetime.datetime):
        return day if timezone.is_aware(day) else timezone.make_aware(day)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
