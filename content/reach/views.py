"""Public reach endpoints: poster short links, page QR codes and the view beacon."""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from kepu import ratelimit
from kepu.cache import CacheUnavailable
from kepu.http import client_ip
from kepu.public_url import public_page_url

from . import shortlinks, view_counts
from .qr import qr_svg


@never_cache
@require_GET
def short_link(request, code: str):
    """Records the scan of a poster and redirects to its page.

    The redirect never waits on the rate limit: a scan past the per-IP limit is simply not
    recorded.
    """
    poster = shortlinks.active_poster(code)
    # Relative: the phone stays on the address it scanned (the public one, rule 9).
    target = poster.page.get_url(request) if poster else None
    if not target:
        return render(
            request,
            "errors/error.html",
            {
                "status": 404,
                "title": _("This QR code no longer works"),
                "message": _(
                    "The poster you scanned has been taken down or its link has expired. "
                    "You can still find our articles from the home page."
                ),
            },
            status=404,
        )
    scans = ratelimit.increment(
        f"poster-scan:{poster.pk}", client_ip(request), 3600, on_outage=ratelimit.FAIL_OPEN
    )
    if scans <= settings.KEPU_POSTER_SCANS_PER_IP_PER_HOUR:
        shortlinks.record_scan(poster, request.headers.get("user-agent", ""))
    separator = "&" if "?" in target else "?"
    return HttpResponseRedirect(f"{target}{separator}{urlencode({'from': 'poster'})}")


@require_GET
@cache_control(public=True, max_age=3600)
def page_qr_svg(request, page_id: int):
    """The QR code of a live, public page's address, as SVG."""
    page = Page.objects.live().public().filter(pk=page_id, depth__gt=1).first()
    url = public_page_url(page, request) if page else None
    if not url:
        raise Http404
    return HttpResponse(qr_svg(url), content_type="image/svg+xml")


@csrf_exempt
@never_cache
@require_POST
def view_beacon(request, page_id: int):
    """Counts one view of a live, public page (204), sent by static/js/view-beacon.js.

    CSRF-exempt on purpose: it changes nothing but a counter, and pages served from the
    full-page cache carry no token. Beacons past the per-IP limit answer 204 uncounted.
    """
    beacons = ratelimit.increment(
        "view-beacon", client_ip(request), 60, on_outage=ratelimit.FAIL_OPEN
    )
    if beacons > settings.KEPU_VIEW_BEACONS_PER_IP_PER_MINUTE:
        return HttpResponse(status=204)
    if not view_counts.is_countable(page_id):
        return HttpResponse(status=404)
    try:
        view_counts.count_view(page_id)
    except CacheUnavailable:
        return HttpResponse(status=204)  # during a Redis outage views go uncounted
    if not view_counts.shared_dirty_set() and view_counts.flush_due():
        view_counts.flush_view_counts()
    return HttpResponse(status=204)
