"""Prizes (奖品), the verifiable prize draw (抽奖), its winners and their claims.

The draw's procedure, and why anyone can check it, are in docs/quiz-prize-draw.md; the
services are in competitions/quizzes/prizes/services.py. What must hold whatever the code does is a
constraint here: one draw per quiz, one prize per person, one claim per winner.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .quiz import Quiz


class Prize(models.Model):
    """A prize of a quiz and how many of it are drawn; prizes are drawn in `order`."""

    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="prizes"
    )
    name = models.CharField(_("prize"), max_length=40)
    count = models.PositiveSmallIntegerField(_("number of winners"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["quiz", "order", "pk"]
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "name"], name="prize_unique_name_per_quiz"),
            models.CheckConstraint(condition=Q(count__gte=1), name="prize_count_at_least_one"),
        ]

    def __str__(self):
        return f"{self.name} × {self.count}"


class PrizeDraw(models.Model):
    """The commitment (hashes published before the draw) and, once drawn, the revealed seed."""

    class State(models.TextChoices):
        COMMITTED = "committed", _("Committed")
        DRAWN = "drawn", _("Drawn")

    quiz = models.OneToOneField(
        Quiz, verbose_name=_("quiz"), on_delete=models.PROTECT, related_name="prize_draw"
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.COMMITTED)
    # The secret: 32 random bytes as 64 hex digits. Never shown before the draw.
    seed = models.CharField(max_length=64, editable=False)
    seed_hash = models.CharField(max_length=64, editable=False)
    # The canonical eligible list exactly as committed (one participant number a line,
    # sorted, trailing newline), published for download; its SHA-256 is eligible_hash.
    eligible_list = models.TextField(editable=False, blank=True)
    eligible_hash = models.CharField(max_length=64, editable=False)
    eligible_count = models.PositiveIntegerField(editable=False)
    # The prizes as committed, in the command's notation ("一等奖:1,二等奖:3").
    prizes_spec = models.CharField(max_length=1000, editable=False)
    committed_at = models.DateTimeField(_("committed at"))
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claims_locked_at = models.DateTimeField(_("claims locked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("prize draw")
        verbose_name_plural = _("prize draws")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="committed", drawn_at__isnull=True)
                | Q(state="drawn", drawn_at__isnull=False),
                name="prize_draw_drawn_has_time",
            ),
            models.CheckConstraint(
                condition=Q(claims_locked_at__isnull=True) | Q(state="drawn"),
                name="prize_draw_lock_after_draw",
            ),
        ]

    def __str__(self):
        return f"{self.quiz}: {self.get_state_display()}"

    @property
    def is_drawn(self) -> bool:
        return self.state == self.State.DRAWN

    @property
    def claims_locked(self) -> bool:
        return self.claims_locked_at is not None

    @property
    def public_seed(self) -> str | None:
        """The seed once the draw has happened; None before (templates use only this)."""
        return self.seed if self.is_drawn else None


class Winner(models.Model):
    """A drawn participant. Public by participant number only, never by name or phone."""

    draw = models.ForeignKey(PrizeDraw, on_delete=models.CASCADE, related_name="winners")
    prize = models.ForeignKey(Prize, on_delete=models.PROTECT, related_name="winners")
    # Kept when the account is deleted, so the published result stays as it was.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prize_wins",
    )
    participant_number = models.CharField(_("participant number"), max_length=16)
    position = models.PositiveIntegerField(help_text="0 for the first drawn, then 1, 2 …")

    class Meta:
        ordering = ["draw", "position"]
        verbose_name = _("winner")
        verbose_name_plural = _("winners")
        constraints = [
            # One prize per person.
            models.UniqueConstraint(fields=["draw", "user"], name="winner_one_prize_per_user"),
            models.UniqueConstraint(
                fields=["draw", "participant_number"], name="winner_one_prize_per_number"
            ),
            models.UniqueConstraint(fields=["draw", "position"], name="winner_unique_position"),
        ]

    def __str__(self):
        return f"{self.participant_number}: {self.prize.name}"


class PrizeClaim(models.Model):
    """Where a winner wants the prize sent. Personal data: staff see it masked by default."""

    winner = models.OneToOneField(Winner, on_delete=models.CASCADE, related_name="claim")
    # The claimant: deleting the account deletes the claim with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prize_claims"
    )
    recipient_name = models.CharField(_("recipient"), max_length=40)
    phone = models.CharField(_("mobile number"), max_length=20)
    address = models.CharField(_("postal address"), max_length=200)
    note = models.CharField(_("note"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("prize claim")
        verbose_name_plural = _("prize claims")

    def __str__(self):
        return f"claim #{self.pk}"


class PrizeClaimAccess(models.Model):
    """Who opened a claim's full details, and when (DESIGN.md rule 8: access is logged)."""

    claim = models.ForeignKey(PrizeClaim, on_delete=models.CASCADE, related_name="accesses")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accessed_at = models.DateTimeField()

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name = _("prize claim access")
        verbose_name_plural = _("prize claim accesses")

    def __str__(self):
        return f"{self.claim_id} by {self.viewer_id}"
