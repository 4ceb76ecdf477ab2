"""Template tags for public pages: share-card metadata (Open Graph) and canonical links."""

from django import template
from django.core.exceptions import DisallowedHost
from django.templatetags.static import static
from django.urls import reverse
from django.utils.text import Truncator
from wagtail.admin.templatetags.wagtailuserbar import get_page_instance, wagtailuserbar
from wagtail.models import Page, Site

from content.models import OrganiserSettings
from content.sharing import wechat
from kepu.public_url import public_page_url, public_url

register = template.Library()

SHARE_IMAGE_SPEC = "fill-1200x630|format-jpeg"


def _share_image_url(request, page) -> str:
    image = getattr(page, "lead_image", None) if page is not None else None
    if image is None and Site.find_for_request(request) is not None:
        image = OrganiserSettings.for_request(request).share_image
    if image is not None:
        return public_url(image.get_rendition(SHARE_IMAGE_SPEC).url)
    return public_url(static("img/share-default.png"))


def _host_allowed(request) -> bool:
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


@register.simple_tag(takes_context=True)
def page_userbar(context):
    """Wagtail's user bar ("edit this page") on Wagtail pages only.

    Other views (taking a quiz, voting, searching) have no page to edit, and checking whether
    a signed-in participant may use the admin costs two queries on every one of them.
    """
    if get_page_instance(context) is None:
        return ""
    return wagtailuserbar(context)


@register.inclusion_tag("content/includes/share_meta.html", takes_context=True)
def share_meta(context):
    """Canonical URL and Open Graph tags for the page being shown (WeChat reads og:*).

    Pages use their own title, summary and lead image; other views (and a page's sub-routes
    such as topic pages) pass `meta_title` / `meta_description` in the context.
    """
    request = context.get("request")
    if request is None or not _host_allowed(request):
        # No request, or the 400 page for a host outside ALLOWED_HOSTS: no absolute URLs.
        return {"canonical": "", "site_name": context.get("site_name", "")}
    page = context.get("page")
    page = page if isinstance(page, Page) else None
    site_name = context.get("site_name", "")
    is_page_itself = page is not None and request.path == page.get_url(request=request)
    if is_page_itself:
        title = page.seo_title or page.title
        description = page.search_description or getattr(page, "summary", "") or ""
        canonical = public_page_url(page, request)
    else:
        title = context.get("meta_title") or site_name
        description = context.get("meta_description", "")
        canonical = public_url(request.path)
    return {
        "canonical": canonical,
        "title": title,
        "description": Truncator(" ".join(str(description).split())).chars(120),
        "image": _share_image_url(request, page if is_page_itself else None),
        "site_name": site_name,
        "og_type": "article" if is_page_itself and hasattr(page, "summary") else "website",
    }


@register.inclusion_tag("content/includes/share.html", takes_context=True)
def share_box(context, card_url="", share_url=""):
    """The share box (分享): a button that shares natively or shows WeChat's own menu, a link to
    the share card picture for Moments, and WeChat JS-SDK settings when an official account is
    configured (content/sharing/). Pages get their own card; other views pass `card_url`, and
    `share_url` when the shared address is not the page's own (a vote page shares the entry's
    counted share link, competitions/voting/popularity/)."""
    meta = share_meta(context)
    page = context.get("page")
    if not card_url and isinstance(page, Page) and page.pk and page.live:
        card_url = reverse("sharing:page_card", args=[page.pk])
    if share_url and meta.get("canonical"):
        meta = {**meta, "canonical": share_url}
    return {
        **meta,
        "card_url": card_url,
        "wechat_config_url": reverse("sharing:wechat_config") if wechat.configured() else "",
    }
