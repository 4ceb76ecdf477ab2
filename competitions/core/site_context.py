"""Where printed images (certificates, share cards) point and whom they name as organiser.

Shared by quiz certificates and contest award certificates.
"""

from dataclasses import dataclass

from django.conf import settings
from wagtail.models import Site

from content.models import OrganiserSettings
from kepu.public_url import public_base_url


@dataclass(frozen=True)
class SiteContext:
    """Where the images point and whom they name as organiser."""

    site_id: int | None
    root_url: str
    organiser: str


def site_context(request) -> SiteContext:
    site = Site.find_for_request(request)
    if site is not None:
        name = OrganiserSettings.for_request(request).name
    else:
        site = Site.objects.filter(is_default_site=True).first()
        name = OrganiserSettings.for_site(site).name if site else ""
    return SiteContext(
        site_id=site.pk if site else None,
        root_url=public_base_url(),
        organiser=name or settings.WAGTAIL_SITE_NAME,
    )
