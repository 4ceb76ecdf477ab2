"""The share card of a page and the WeChat JS-SDK signature (content/sharing/)."""

import logging

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Page

from content.reach.posters import PosterFontMissing

from . import wechat
from .cards import page_card_png

logger = logging.getLogger(__name__)


@require_GET
@cache_control(public=True, max_age=600)
def page_card(request, page_id: int):
    """The share card (PNG, shown inline so WeChat can save it) of a live, public page."""
    page = Page.objects.live().public().filter(pk=page_id, depth__gt=1).first()
    if page is None:
        raise Http404
    try:
        content = page_card_png(page)
    except PosterFontMissing as exc:
        raise Http404 from exc
    return HttpResponse(content, content_type="image/png")


@never_cache
@require_GET
def wechat_config(request):
    """`wx.config` values for the page address in `?url=` (only the site's own pages)."""
    url = request.GET.get("url", "")[:2000]
    if not wechat.configured():
        return JsonResponse({"error": _("WeChat sharing is not set up.")}, status=404)
    if not wechat.is_own_url(url):
        return JsonResponse({"error": _("This address cannot be shared from here.")}, status=400)
    try:
        config = wechat.js_config(url)
    except wechat.WeChatUnavailable:
        logger.warning("wechat js-sdk ticket unavailable", exc_info=True)
        return JsonResponse({"error": _("WeChat is not answering; try again later.")}, status=503)
    return JsonResponse(config)
