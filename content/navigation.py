"""The site's main navigation: live children of the home page marked "show in menus".

Memoised per site in each process under the page cache's version (content/cache.py), so
publishing, unpublishing, moving or deleting a page refreshes it everywhere.
"""

from wagtail.models import Site

from .cache import PAGES


def menu_items(request) -> list[dict]:
    site = Site.find_for_request(request)
    if site is None:
        return []
    return PAGES.get(
        ("navigation", site.pk),
        lambda: [
            {"title": page.title, "url": page.get_url(request=request)}
            for page in site.root_page.get_children().live().public().in_menu()
        ],
    )
