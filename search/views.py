import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from wagtail.models import Page

MAX_QUERY_LENGTH = 100


def clean_query(raw: str) -> str:
    """Keeps letters, digits and spaces: the database backends choke on quotes and NULs."""
    return " ".join(re.sub(r"[^\w]+", " ", raw[: MAX_QUERY_LENGTH * 4]).split())[:MAX_QUERY_LENGTH]


def search(request):
    """Searches live, public pages.

    An interim implementation on Wagtail's database search; the Chinese pipeline and the
    Elasticsearch backend replace it (see the search issue).
    """
    query = clean_query(request.GET.get("q", ""))
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    paginator = Paginator(results, 10)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        page = paginator.page(1)
    return render(request, "search/search.html", {"query": query, "results": page})
