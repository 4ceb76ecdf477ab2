"""Popularity (人气): an organiser's weights per contest, share opens and comments.

The seeds chose the 人气王 among pupils' short videos by likes, shares and comments, not by
votes alone. Votes stay the voting app's (competitions/voting/models/votes.py); here are the
other two signals. Both keep, like votes, only what fraud monitoring needs: the /24 (/48)
network, a keyed hash of the address and a browser family.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from competitions.submissions.models import Contest, Entry


def _weight(verbose_name, default):
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, default=Decimal(default)
    )


class PopularityRule(models.Model):
    """How a contest's popularity score is made: score = votes × vote weight + share opens
    × share weight + approved comments × comment weight. Without a rule, popularity is
    votes alone (the voting app's ranking and awards)."""

    contest = models.OneToOneField(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="popularity_rule"
    )
    vote_weight = _weight(_("points per vote"), "1")
    share_weight = _weight(_("points per share opened"), "0.5")
    comment_weight = _weight(_("points per approved comment"), "2")
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("contest"),
        FieldRowPanel(
            [FieldPanel("vote_weight"), FieldPanel("share_weight"), FieldPanel("comment_weight")]
        ),
    ]

    class Meta:
        verbose_name = _("popularity rule")
        verbose_name_plural = _("popularity rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(vote_weight__gte=0, share_weight__gte=0, comment_weight__gte=0),
                name="popularity_weights_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(vote_weight__gt=0) | Q(share_weight__gt=0) | Q(comment_weight__gt=0),
                name="popularity_some_weight",
            ),
        ]

    def __str__(self):
        return str(self.contest)


class _Monitored(models.Model):
    ip_network = models.CharField(_("network"), max_length=50, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    user_agent_family = models.CharField(_("browser"), max_length=20, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        abstract = True


class ShareOpen(_Monitored):
    """Someone opened an entry's share card or share link: counted once per visitor, entry
    and day (a constraint). A visitor is the signed-in account, else a keyed hash of the
    address and the browser; voided opens (fraud) do not count."""

    class Via(models.TextChoices):
        CARD = "card", _("Share card QR code")
        LINK = "link", _("Shared link")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="share_opens")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    visitor = models.CharField(max_length=64)
    day = models.DateField()
    via = models.CharField(max_length=4, choices=Via.choices, default=Via.LINK)
    voided = models.BooleanField(_("voided"), default=False)
    voided_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("share opened")
        verbose_name_plural = _("shares opened")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "visitor", "day"], name="popularity_share_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(voided=False) | ~Q(voided_reason=""), name="popularity_share_voided"
            ),
        ]
        indexes = [
            models.Index(fields=["entry", "voided"], name="popularity_share_entry"),
            models.Index(fields=["contest", "created_at"], name="popularity_share_contest"),
        ]

    def __str__(self):
        return f"{self.entry} · {self.day}"


class EntryComment(_Monitored):
    """A comment on an entry's vote page. Public (and counted) once approved: at once for
    adults whose text passes the word filter, after an organiser's decision for minors."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="comments")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entry_comments"
    )
    text = models.CharField(_("comment"), max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    client_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("entry comment")
        verbose_name_plural = _("entry comments")
        indexes = [
            models.Index(fields=["entry", "status"], name="popularity_comment_entry"),
            models.Index(
                fields=["contest", "created_at"],
                name="popularity_comment_pending",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self):
        return self.text[:30]


class AppendOnlyError(Exception):
    pass


class PopularityAuditLog(models.Model):
    """One organiser action on share opens or comments: who, when, why, which ones."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    reason = models.CharField(_("reason"), max_length=200)
    criteria = models.JSONField(default=dict)
    object_ids = models.JSONField(default=list)
    affected = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("popularity audit record")
        verbose_name_plural = _("popularity audit records")

    def __str__(self):
        return f"{self.action} {self.affected}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("popularity audit records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("popularity audit records cannot be deleted")
