"""Poster short links: creating posters, building their URLs, recording scans."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from kepu.public_url import public_url

from .models import Poster, PosterScan, generate_short_code

# Attempts at an unused random code before giving up (a clash is ~1 in 10⁹ per try).
_CODE_ATTEMPTS = 5


def create_poster(page: Page, location: str, created_by=None) -> Poster:
    """Creates an active poster for `page` with a fresh, unique short code.

    The database's unique constraint decides; a clash is retried with another code.
    """
    location = location.strip()
    for attempt in range(_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Poster.objects.create(
                    page=page, location=location, code=generate_short_code(), created_by=created_by
                )
        except IntegrityError:
            if attempt == _CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def normalise_code(code: str) -> str:
    """Codes are printed in capitals; accept them typed in lower case as well."""
    return code.strip().upper()


def short_url(poster: Poster) -> str:
    """The absolute short link printed on the poster, on the page's own site."""
    path = reverse("reach:short_link", args=[poster.code])
    return public_url(path)


def active_poster(code: str) -> Poster | None:
    """The active poster with this code whose page is live, or None."""
    return (
        Poster.objects.select_related("page")
        .filter(code=normalise_code(code), is_active=True, page__live=True)
        .first()
    )


def client_family(user_agent: str) -> str:
    """A coarse client family from the user agent; the user agent itself is not stored."""
    if "MicroMessenger" in user_agent:
        return PosterScan.Client.WECHAT
    return PosterScan.Client.OTHER


def record_scan(poster: Poster, user_agent: str = "") -> PosterScan:
    """Records one scan of `poster` (a single INSERT)."""
    return PosterScan.objects.create(poster=poster, client=client_family(user_agent))


def with_scan_counts(posters: QuerySet[Poster], recent_days: int = 7) -> QuerySet[Poster]:
    """Annotates `scan_total`, `scan_recent` (last `recent_days` days) and `last_scan_at`."""
    since = timezone.now() - timedelta(days=recent_days)
    return posters.annotate(
        scan_total=Count("scans"),
        scan_recent=Count("scans", filter=Q(scans__scanned_at__gte=since)),
        last_scan_at=Max("scans__scanned_at"),
    )


def set_poster_active(poster: Poster, active: bool) -> None:
    """Switches the poster's short link off (its scans are kept) or on again."""
    Poster.objects.filter(pk=poster.pk).update(is_active=active)
    poster.is_active = active


def deactivate_poster(poster: Poster) -> None:
    set_poster_active(poster, False)
