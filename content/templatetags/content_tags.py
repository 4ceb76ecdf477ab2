"""Template tags for public pages: share-card metadata (Open Graph) and canonical links."""

from django import template
from django.templatetags.static import static
from django.utils.text import Truncator
from wagtail.models import Page, Site

register = template.Library()

SHARE_IMAGE_SPEC = "fill-1200x630|format-jpeg"


def _share_image_url(request, page) -> str:
    image = getattr(page, "lead_image", None) if page is not None else None
    if image is None:
        from content.models import OrganiserSettings

        site = Site.find_for_request(request)
        if site is not None:
            image = OrganiserSettings.for_site(site).share_image
    if image is not None:
        return request.build_absolute_uri(image.get_rendition(SHARE_IMAGE_SPEC).url)
    return request.build_absolute_uri(static("img/share-default.png"))


@register.inclusion_tag("content/includes/share_meta.html", takes_context=True)
def share_meta(context):
    """Canonical URL and Open Graph tags for the page being shown (WeChat reads og:*).

    Pages use their own title, summary and lead image; other views (and a page's sub-routes
    such as topic pages) pass `meta_title` / `meta_description` in the context.
    """
    request = context.get("request")
    if request is None:
        return {"canonical": "", "site_name": context.get("site_name", "")}
    page = context.get("page")
    page = page if isinstance(page, Page) else None
    site_name = context.get("site_name", "")
    is_page_itself = page is not None and request.path == page.get_url(request=request)
    if is_page_itself:
        title = page.seo_title or page.title
        description = page.search_description or getattr(page, "summary", "") or ""
        canonical = page.get_full_url(request=request)
    else:
        title = context.get("meta_title") or site_name
        description = context.get("meta_description", "")
        canonical = request.build_absolute_uri(request.path)
    return {
        "canonical": canonical,
        "title": title,
        "description": Truncator(" ".join(str(description).split())).chars(120),
        "image": _share_image_url(request, page if is_page_itself else None),
        "site_name": site_name,
        "og_type": "article" if is_page_itself and hasattr(page, "summary") else "website",
    }
