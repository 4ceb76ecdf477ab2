"""What is searchable: a small registry of sources, each turning public objects into documents.

Search reads from the other apps; they never import search internals (CONVENTIONS.md). Each
source owns one key prefix ("page:12", "topic:3", "work:45") and answers three questions:

- `public()`: the queryset of objects the public may see now;
- `documents(queryset)`: their documents, built in bulk with a bounded number of queries;
- `document_for(obj)`: one object's document, or None when it is not public (any more).

Documents carry `suggest` inputs (title, pinyin in full and initials) from
`pipeline.suggest_inputs`; building documents therefore happens in the Celery worker
(`search.tasks`), never in a web request, so pypinyin stays out of the web processes.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.blocks import StreamValue
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import RichText

from . import pipeline
from .backends.base import SearchDocument

logger = logging.getLogger(__name__)

LEAD_IMAGE_RENDITION = "fill-320x180"


# --- text helpers ------------------------------------------------------------------------------


def html_text(value: str) -> str:
    """Plain text of an HTML fragment (rich text), entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(value or "")).split())


def stream_text(stream) -> str:
    """The readable text of a StreamField value, from every block kind.

    Walks the block definitions generically (streams, structs, lists, rich text, tables,
    chosen documents and snippets), so a block added later is covered without changes here.
    Images, embeds and URLs carry no reader text and are skipped.
    """
    if stream is None:
        return ""
    parts = [text for text in _stream_parts(stream) if text]
    return " ".join(" ".join(parts).split())[: pipeline.MAX_BODY_CHARS]


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


def _aware(day: datetime.date | datetime.datetime | None) -> datetime.datetime | None:
    """The reader-facing date as an aware datetime (midnight in the site's time zone)."""
    if day is None:
        return None
    if isinstance(day, datetime.datetime):
        return day if timezone.is_aware(day) else timezone.make_aware(day)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _image_url(image) -> str:
    if image is None:
        return ""
    try:
        return image.get_rendition(LEAD_IMAGE_RENDITION).url
    except Exception:
        # A missing or unreadable file must not keep the page out of search.
        logger.warning("search: no rendition for image %s", image.pk, exc_info=True)
        return ""


def _suggest(title: str) -> tuple[str, ...]:
    from . import pipeline

    return tuple(pipeline.suggest_inputs(title))


# --- the registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One kind of searchable object and how it becomes documents."""

    prefix: str
    public: Callable[[], Iterable]
    documents: Callable[[Iterable], Iterator[SearchDocument]]
    document_for: Callable[[object], SearchDocument | None]
    get: Callable[[int], object | None]

    def key(self, pk: int) -> str:
        return f"{self.prefix}:{pk}"

    def public_keys(self) -> set[str]:
        return {self.key(pk) for pk in self.public().values_list("pk", flat=True)}


_registered: dict[str, Source] = {}


def register_source(source: Source) -> Source:
    """Makes another app's public objects searchable under its own key prefix (the book
    drift registers books, reviews and campaigns in its AppConfig.ready()). Documents
    without `suggest` inputs get those of their title here, in the worker."""

    def with_suggest(doc: SearchDocument | None) -> SearchDocument | None:
        if doc is None or doc.suggest:
            return doc
        return dataclasses.replace(doc, suggest=_suggest(doc.title))

    _registered[source.prefix] = dataclasses.replace(
        source,
        documents=lambda queryset: map(with_suggest, source.documents(queryset)),
        document_for=lambda obj: with_suggest(source.document_for(obj)),
    )
    return source


def sources() -> dict[str, Source]:
    """Every source by key prefix."""
    return {"page": PAGE_SOURCE, "topic": TOPIC_SOURCE, "work": WORK_SOURCE, **_registered}


def parse_key(key: str) -> tuple[Source, int] | None:
    prefix, _, pk = str(key).partition(":")
    source = sources().get(prefix)
    if source is None or not pk.isdigit():
        return None
    return source, int(pk)


def document_for_key(key: str) -> SearchDocument | None:
    """The current document for `key`, re-read from the database; None when not public."""
    parsed = parse_key(key)
    if parsed is None:
        return None
    source, pk = parsed
    obj = source.get(pk)
    return source.document_for(obj) if obj is not None else None


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
        source = sources()[prefix]
        yield from source.documents(source.public().filter(pk__in=pks))


# --- pages -------------------------------------------------------------------------------------


def _page_kinds() -> dict[type, str]:
    from competitions.quizzes.models import QuizPage
    from competitions.submissions.models import ContestPage
    from content.models import ArticlePage, CampaignPage, SectionPage, VideoPage

    return {
        ArticlePage: "article",
        VideoPage: "video",
        CampaignPage: "campaign",
        SectionPage: "page",
        QuizPage: "quiz",
        ContestPage: "contest",
    }


def public_pages():
    """Live pages of the searchable types without a view restriction on them or above."""
    pages = Page.objects.live().public().type(*_page_kinds())
    return pages.exclude(depth__lte=1)


def _get_page(pk: int):
    return Page.objects.filter(pk=pk).first()


def _page_is_public(page: Page) -> bool:
    if not page.live:
        return False
    restricted = PageViewRestriction.objects.filter(
        page__path__in=[page.path[:i] for i in range(Page.steplen, len(page.path) + 1, 4)]
    )
    return not restricted.exists()


def page_document_for(page) -> SearchDocument | None:
    """The document of one page, or None when it is not live, restricted or not searchable."""
    if page is None or not _page_is_public(page):
        return None
    kinds = _page_kinds()
    if page.specific_class not in kinds:
        return None
    return next(page_documents(Page.objects.filter(pk=page.pk)), None)


def page_documents(queryset) -> Iterator[SearchDocument]:
    """Documents of the searchable pages in `queryset` (assumed public).

    A few queries per page type and per 500 pages, whatever the number of pages (the
    queryset is used as a subquery, so no long parameter lists reach the database).
    """
    # Pages with children below the home page are sections (or hold pages): their titles
    # name the section of the pages under them.
    sections = dict(Page.objects.filter(depth__gt=2, numchild__gt=0).values_list("path", "title"))
    ids = queryset.values("pk")
    for model, kind in _page_kinds().items():
        pages = _prefetch(kind, model.objects.filter(pk__in=ids).order_by("path"))
        builder = _BUILDERS[kind]
        for page in pages.iterator(chunk_size=500):
            try:
                yield builder(page, kind, sections.get(page.path[: -Page.steplen], ""))
            except Exception:
                # One broken page never stops a rebuild; it is logged and left out.
                logger.exception("search: could not build the document of page %s", page.pk)


def _prefetch(kind, pages):
    if kind in ("article", "video"):
        pages = pages.select_related("lead_image").prefetch_related("topics")
    if kind == "video":
        pages = pages.select_related("video", "video__poster")
    if kind == "campaign":
        pages = pages.select_related("hero_image")
    if kind == "quiz":
        pages = pages.select_related("quiz", "lead_image")
    if kind == "contest":
        pages = pages.select_related("contest", "lead_image")
    return pages


def _document(page, kind, section, **fields) -> SearchDocument:
    return SearchDocument(
        key=f"page:{page.pk}",
        kind=kind,
        title=page.title,
        url=page.get_url() or page.url_path,
        section=section,
        suggest=_suggest(page.title),
        **fields,
    )


def _content_page(page, kind, section) -> SearchDocument:
    if kind == "article":
        body = stream_text(page.body)
        image = page.lead_image
    else:
        chapters = stream_text(page.chapters)
        body = " ".join(filter(None, [page.description, chapters, page.transcript]))
        image = page.lead_or_poster
    return _document(
        page,
        kind,
        section,
        summary=page.summary,
        body=body[: pipeline.MAX_BODY_CHARS],
        topics=tuple(topic.name for topic in page.topics.all()),
        date=_aware(page.date),
        image_url=_image_url(image),
    )


def _campaign_page(page, kind, section) -> SearchDocument:
    return _document(
        page,
        kind,
        section,
        summary=page.intro,
        body=stream_text(page.body),
        date=_aware(page.start_date),
        image_url=_image_url(page.hero_image),
    )


def _section_page(page, kind, section) -> SearchDocument:
    return _document(
        page,
        kind,
        section,
        summary=page.intro,
        date=page.last_published_at or page.first_published_at,
    )


def _quiz_page(page, kind, section) -> SearchDocument:
    return _document(
        page,
        kind,
        section,
        summary=page.summary,
        body=" ".join(filter(None, [page.quiz.title, html_text(page.intro)])),
        date=page.quiz.opens_at,
        image_url=_image_url(page.lead_image),
    )


def _contest_page(page, kind, section) -> SearchDocument:
    return _document(
        page,
        kind,
        section,
        summary=page.summary,
        body=" ".join(filter(None, [page.contest.title, html_text(page.rules)])),
        date=page.contest.submission_opens_at,
        image_url=_image_url(page.lead_image),
    )


_BUILDERS = {
    "article": _content_page,
    "video": _content_page,
    "campaign": _campaign_page,
    "page": _section_page,
    "quiz": _quiz_page,
    "contest": _contest_page,
}

PAGE_SOURCE = Source(
    prefix="page",
    public=public_pages,
    documents=page_documents,
    document_for=page_document_for,
    get=_get_page,
)


# --- topics ------------------------------------------------------------------------------------


def _topics():
    from content.models import HomePage, Topic

    # Topic pages are served by the home page: without a live one there are none.
    if not HomePage.objects.live().exists():
        return Topic.objects.none()
    return Topic.objects.all()


def _get_topic(pk: int):
    from content.models import Topic

    return Topic.objects.filter(pk=pk).first()


def topic_documents(queryset) -> Iterator[SearchDocument]:
    """Documents of the topics in `queryset` (their public pages under the home page)."""
    for topic in queryset:
        url = topic.get_url()
        if not url:
            continue
        yield SearchDocument(
            key=f"topic:{topic.pk}",
            kind="topic",
            title=topic.name,
            url=url,
            summary=topic.description,
            topics=(topic.name,),
            suggest=_suggest(topic.name),
        )


def topic_document_for(topic) -> SearchDocument | None:
    return next(topic_documents(_topics().filter(pk=topic.pk)), None)


TOPIC_SOURCE = Source(
    prefix="topic",
    public=_topics,
    documents=topic_documents,
    document_for=topic_document_for,
    get=_get_topic,
)


# --- exhibited works ---------------------------------------------------------------------------


def exhibited_works():
    """Works the online exhibition shows now, by exactly the exhibition's own rule.

    `awards.exhibited_entries` (submitted, display consent, awarded or organiser-chosen) per
    contest whose results are public (`awards.results_visible`); nothing else.
    """
    from competitions.submissions.models import Contest, Entry
    from competitions.submissions.results.awards import exhibited_entries, results_visible

    pks: set[int] = set()
    for contest in Contest.objects.filter(results_at__lte=timezone.now()):
        if results_visible(contest):
            pks.update(exhibited_entries(contest).values_list("pk", flat=True))
    return Entry.objects.filter(pk__in=pks)


def _get_entry(pk: int):
    from competitions.submissions.models import Entry

    return Entry.objects.filter(pk=pk).first()


def work_documents(queryset) -> Iterator[SearchDocument]:
    """Documents of exhibited works: public fields only (title, description, text, contest),
    never the author, grade, school or files."""
    for entry in queryset.select_related("contest", "group").order_by("pk"):
        url = reverse(
            "contests:exhibition_work",
            kwargs={"contest_id": entry.contest_id, "number": entry.number},
        )
        yield SearchDocument(
            key=f"work:{entry.pk}",
            kind="work",
            title=entry.title,
            url=url,
            summary=entry.description,
            body=(entry.text or "")[: pipeline.MAX_BODY_CHARS],
            section=entry.contest.title,
            date=entry.contest.results_at,
            suggest=_suggest(entry.title),
        )


def work_document_for(entry) -> SearchDocument | None:
    return next(work_documents(exhibited_works().filter(pk=entry.pk)), None)


WORK_SOURCE = Source(
    prefix="work",
    public=exhibited_works,
    documents=work_documents,
    document_for=work_document_for,
    get=_get_entry,
)
