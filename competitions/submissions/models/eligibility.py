"""Entries an organiser ruled out of a contest (不符合参赛要求), with the reason.

A ruled-out entry stays submitted (its number, files and history are kept) but is judged,
voted on and awarded no more: judging's eligible_entries, the vote and the awards leave
out every entry with an Ineligibility. Deleting the row makes the entry eligible again.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .entries import Entry


class Ineligibility(models.Model):
    entry = models.OneToOneField(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="ineligibility"
    )
    reason = models.CharField(_("reason"), max_length=200)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("ineligible entry")
        verbose_name_plural = _("ineligible entries")

    def __str__(self):
        return f"{self.entry}: {self.reason}"
