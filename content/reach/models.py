"""Reach: printed posters with short links, their scans, and daily page view counts.

Posters point at any Wagtail page (articles today, quizzes and contests later). A scan
stores when it happened and a coarse client family, nothing personal: no IP address, no
full user agent.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Crockford-style base32 without the characters people misread on paper (0/O, 1/I/L, U).
SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
SHORT_CODE_LENGTH = 7


def generate_short_code() -> str:
    """A random code of 7 symbols from a 30-letter alphabet (about 2×10¹⁰ possibilities)."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


class Poster(models.Model):
    """A printed poster for one page, put up at one place, with its own short link."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="posters",
        verbose_name=_("page"),
    )
    location = models.CharField(
        _("location"),
        max_length=60,
        help_text=_("Where the poster hangs, e.g. 人民路公交站. Shown small on the poster."),
    )
    code = models.CharField(_("short code"), max_length=16, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("An inactive poster's short link no longer leads to the page."),
    )

    class Meta:
        verbose_name = _("poster")
        verbose_name_plural = _("posters")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(location=""), name="content_poster_location_not_blank"
            ),
        ]

    def __str__(self):
        return f"{self.location} ({self.code})"


class PosterScan(models.Model):
    """One visit through a poster's short link."""

    class Client(models.TextChoices):
        WECHAT = "wechat", _("WeChat")
        OTHER = "other", _("Other")

    poster = models.ForeignKey(
        Poster, on_delete=models.CASCADE, related_name="scans", verbose_name=_("poster")
    )
    scanned_at = models.DateTimeField(_("scanned at"), default=timezone.now)
    client = models.CharField(
        _("client"), max_length=10, choices=Client.choices, default=Client.OTHER
    )

    class Meta:
        verbose_name = _("poster scan")
        verbose_name_plural = _("poster scans")
        indexes = [models.Index(fields=["poster", "scanned_at"], name="content_scan_poster_at")]

    def __str__(self):
        return f"{self.poster_id} @ {self.scanned_at:%Y-%m-%d %H:%M}"


class PageViewCount(models.Model):
    """Views of one page on one day (Asia/Shanghai), moved here from the cache by a flush."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="view_counts",
        verbose_name=_("page"),
    )
    date = models.DateField(_("date"))
    count = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("page view count")
        verbose_name_plural = _("page view counts")
        constraints = [
            models.UniqueConstraint(fields=["page", "date"], name="content_pageviewcount_unique")
        ]
        indexes = [models.Index(fields=["date", "page"], name="content_views_date_page")]

    def __str__(self):
        return f"{self.page_id} {self.date}: {self.count}"
