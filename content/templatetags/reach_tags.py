"""Template tags of the reach features: the "most read" list."""

from django import template
from django.core.cache import cache
from wagtail.models import Page

from content.reach.view_counts import most_read

register = template.Library()

# The list aggregates daily counts: recompute it at most this often.
MOST_READ_CACHE_SECONDS = 300


@register.inclusion_tag("content/includes/most_read.html")
def most_read_list(limit: int = 5, days: int | None = None, title: str = ""):
    """`{% most_read_list limit=5 days=7 %}`: the most viewed live public pages."""
    key = f"views:most-read:{limit}:{days}"
    page_ids = cache.get(key)
    if page_ids is None:
        pages = most_read(limit=limit, days=days)
        cache.set(key, [(p.pk, p.view_count) for p in pages], MOST_READ_CACHE_SECONDS)
    else:
        pages = _pages_in_order(page_ids)
    return {"pages": pages, "title": title, "days": days}


def _pages_in_order(page_ids: list[tuple[int, int]]):
    by_id = {
        p.pk: p for p in Page.objects.live().public().filter(pk__in=[pk for pk, _ in page_ids])
    }
    pages = []
    for pk, count in page_ids:
        if pk in by_id:
            by_id[pk].view_count = count
            pages.append(by_id[pk])
    return pages
