"""The append-only record of what organisers did to votes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from competitions.submissions.models import Contest


class AppendOnlyError(Exception):
    pass


class VoteAuditLog(models.Model):
    """One voiding action: who, when, why, which filter and which votes it touched."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, default="void")
    reason = models.CharField(_("reason"), max_length=200)
    criteria = models.JSONField(default=dict)
    vote_ids = models.JSONField(default=list)
    votes_affected = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("vote audit record")
        verbose_name_plural = _("vote audit records")

    def __str__(self):
        return f"{self.action} {self.votes_affected} · {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("vote audit records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("vote audit records cannot be deleted")
