"""The request's Wagtail site and organiser settings, without a query on every request.

Wagtail looks the site up in the database on each request (`Site.find_for_request`), and
the footer's organiser settings take another query. Both change perhaps once a year, so a
per-process memo (kepu/memo.py) keeps them, and `SiteMiddleware` hands each request its own
copies through the attributes Wagtail itself reads (`request._wagtail_site` and the
settings' request cache). Saving or deleting a site or the organiser settings makes every
process forget them (at once here, within a second elsewhere).
"""

import copy
from urllib.parse import urlsplit

from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from kepu.memo import VersionedMemo
from kepu.public_url import public_base_url

from .models import OrganiserSettings
from .shared_versions import shared_version_store

SITES = VersionedMemo("sites", store=shared_version_store)


def _lookup(hostname: str, port: int):
    """Wagtail's own rules (host name, then host and port, then the default site)."""
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None, None
    return site, OrganiserSettings.for_site(site)


class SiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            host = request.get_host()  # checked against ALLOWED_HOSTS, unlike the raw host
        except DisallowedHost:
            return self.get_response(request)  # Django answers 400 itself
        hostname, port = split_domain_port(host)[0], request.get_port()
        try:
            site, organiser = SITES.get((hostname, port), lambda: _lookup(hostname, port))
        except DatabaseError:
            # The database is down: let the view answer (/healthz says 503, pages their error).
            return self.get_response(request)
        # Each request gets copies: views may cache related objects on them.
        request._wagtail_site = copy.copy(site)
        if organiser is not None:
            organiser = copy.copy(organiser)
            organiser._request = request
            setattr(request, OrganiserSettings.get_cache_attr_name(), organiser)
        return self.get_response(request)


def _forget(sender, created=False, **kwargs):
    if created and sender is OrganiserSettings:
        return  # the empty row for_site() creates on first use: nothing anyone kept changes
    SITES.invalidate()
    # A request that read the old rows before the commit may have kept them: forget again.
    transaction.on_commit(SITES.invalidate)


for _model in (Site, OrganiserSettings):
    post_save.connect(_forget, sender=_model, dispatch_uid=f"content.sites.saved.{_model.__name__}")
    post_delete.connect(
        _forget, sender=_model, dispatch_uid=f"content.sites.deleted.{_model.__name__}"
    )


def follow_public_address() -> bool:
    """Point the default Site record at the public address (KEPU_BASE_URL), so that the
    links Wagtail builds itself (the admin's "view live", previews) agree with kepu's own
    (kepu/public_url.py). Returns True if it changed anything."""
    parts = urlsplit(public_base_url())
    port = parts.port or (443 if parts.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (parts.hostname, port):
        return False
    site.hostname, site.port = parts.hostname, port
    site.save(update_fields=["hostname", "port"])
    return True
