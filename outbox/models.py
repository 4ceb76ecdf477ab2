from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One unit of after-commit work: call `target(*args, **kwargs)` at least once."""

    target = models.CharField(_("target"), max_length=255)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("handed to the queue at"), null=True, blank=True)
    # When the relay may (re)dispatch it: a short grace after creation, a lease after each
    # dispatch, a growing back-off after each failure.
    available_at = models.DateTimeField(_("next attempt at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["available_at"],
                condition=models.Q(completed_at__isnull=True, failed_at__isnull=True),
                name="outbox_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.completed_at is None and self.failed_at is None
