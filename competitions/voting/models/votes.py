"""Public votes (投票) for contest entries, and the shortlist they may go to.

The limits are database constraints (DESIGN.md rule 2): one vote per voter, entry and day;
at most `Contest.votes_per_day` per voter, contest and day through numbered slots
(unique per voter, contest and day; competitions/voting/services.py only hands out slots
1..votes_per_day). Counts are counted rows of non-voided votes (indexed), so they are exact
under any concurrency and voiding needs no counter arithmetic.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from competitions.submissions.models import Contest, Entry


class Shortlist(models.Model):
    """An entry organisers put up for the public vote.

    When a contest has no shortlist at all, every submitted entry may receive votes.
    """

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shortlisted entry")
        verbose_name_plural = _("shortlisted entries")
        constraints = [
            models.UniqueConstraint(fields=["contest", "entry"], name="voting_shortlist_unique")
        ]

    def __str__(self):
        return str(self.entry)

    def clean(self):
        super().clean()
        if self.entry_id and self.contest_id and self.entry.contest_id != self.contest_id:
            raise ValidationError({"entry": _("This entry belongs to another contest.")})


class Vote(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="votes")
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_votes"
    )
    # The voting day in Asia/Shanghai, and which of the voter's daily votes this is.
    day = models.DateField()
    slot = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(db_index=True)
    # Minimal data for fraud monitoring: the /24 (IPv4) or /48 (IPv6) network and a keyed
    # hash of the full address (to spot one address without storing it).
    ip_network = models.CharField(_("network"), max_length=50, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    user_agent_family = models.CharField(_("browser"), max_length=20, blank=True)
    voided = models.BooleanField(_("voided"), default=False)
    voided_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["voter", "entry", "day"], name="voting_one_vote_per_entry_and_day"
            ),
            models.UniqueConstraint(
                fields=["voter", "contest", "day", "slot"], name="voting_daily_slot_unique"
            ),
            models.CheckConstraint(condition=Q(slot__gte=1), name="voting_slot_positive"),
            models.CheckConstraint(
                condition=Q(voided=False) | ~Q(voided_reason=""),
                name="voting_voided_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["entry", "voided"], name="voting_entry_voided"),
            models.Index(fields=["contest", "created_at"], name="voting_contest_created"),
        ]

    def __str__(self):
        return f"{self.entry} · {self.day}"
