"""The "page" source: Wagtail pages of the registered page types, one document each.

What is generic to Wagtail lives here: a page is public when it is live with no view
restriction on it or above it; the title of a page with children below the home page names
the section of the pages under it; addresses come from Wagtail; lead images are shown as a
small rendition. What a page's text, topics and date are is its app's (`PageType.content`,
registered in the app's `search.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from wagtail.models import Page

from search import documents
from search.backends.base import SearchDocument
from search.constants import LEAD_IMAGE_RENDITION, MAX_SUBTREE_KEYS
from search.text.pinyin import suggest_inputs

logger = logging.getLogger(__name__)


def public_pages():
    """Live pages of the searchable types without a view restriction on them or above."""
    pages = Page.objects.live().public().type(*documents.page_types())
    return pages.exclude(depth__lte=1)


def page_documents(queryset) -> Iterator[SearchDocument]:
    """Documents of the searchable pages in `queryset` (assumed public).

    A few queries per page type and per 500 pages, whatever the number of pages (the
    queryset is used as a subquery, so no long parameter lists reach the database).
    """
    sections = dict(Page.objects.filter(depth__gt=2, numchild__gt=0).values_list("path", "title"))
    ids = queryset.values("pk")
    for model, page_type in documents.page_types().items():
        pages = model.objects.filter(pk__in=ids).order_by("path")
        if page_type.select_related:
            pages = pages.select_related(*page_type.select_related)
        if page_type.prefetch_related:
            pages = pages.prefetch_related(*page_type.prefetch_related)
        for page in pages.iterator(chunk_size=500):
            try:
                yield _document(page, page_type, sections.get(page.path[: -Page.steplen], ""))
            except Exception:
                # One broken page never stops a rebuild; it is logged and left out.
                logger.exception("search: could not build the document of page %s", page.pk)


def _document(page, page_type: documents.PageType, section: str) -> SearchDocument:
    content = page_type.content(page)
    return SearchDocument(
        key=f"page:{page.pk}",
        kind=page_type.kind,
        title=page.title,
        url=page.get_url() or page.url_path,
        summary=content.summary,
        body=content.body,
        topics=tuple(content.topics),
        section=section,
        date=documents.aware(content.date),
        image_url=_image_url(content.image),
        suggest=suggest_inputs(page.title),
    )


def _image_url(image) -> str:
    if image is None:
        return ""
    try:
        return image.get_rendition(LEAD_IMAGE_RENDITION).url
    except Exception:
        # A missing or unreadable file must not keep the page out of search.
        logger.warning("search: no rendition for image %s", image.pk, exc_info=True)
        return ""


def names_section(page: Page) -> bool:
    """Whether `page`'s title appears in the documents below it (see `page_documents`)."""
    return page.depth > 2 and bool(page.numchild)


def subtree_keys(page: Page) -> list[str]:
    """The keys of `page` and every page below it (at most MAX_SUBTREE_KEYS)."""
    # The path is re-read: after a move the signal's instance may still hold the old one.
    path = Page.objects.filter(pk=page.pk).values_list("path", flat=True).first() or page.path
    pks = Page.objects.filter(path__startswith=path).values_list("pk", flat=True)
    return [f"page:{pk}" for pk in pks[:MAX_SUBTREE_KEYS]]


PAGE_SOURCE = documents.Source(
    prefix="page", model=Page, public=public_pages, documents=page_documents
)
