"""The site's main navigation: live children of the home page marked "show in menus"."""

from django.core.cache import cache
from wagtail.models import Site
from wagtail.signals import page_published, page_unpublished

CACHE_KEY = "nav:{site_id}"


def menu_items(request) -> list[dict]:
    site = Site.find_for_request(request)
    if site is None:
        return []
    key = CACHE_KEY.format(site_id=site.pk)
    items = cache.get(key)
    if items is None:
        items = [
            {"title": page.title, "url": page.get_url(request=request)}
            for page in site.root_page.get_children().live().public().in_menu()
        ]
        cache.set(key, items, 600)
    return items


def _invalidate(sender, instance, **kwargs):
    for site_id in Site.objects.values_list("pk", flat=True):
        cache.delete(CACHE_KEY.format(site_id=site_id))


page_published.connect(_invalidate, dispatch_uid="content.navigation.published")
page_unpublished.connect(_invalidate, dispatch_uid="content.navigation.unpublished")
