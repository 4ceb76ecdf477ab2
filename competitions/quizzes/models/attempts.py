"""Attempts (一次作答) with their papers and answers, answer batches and the leaderboard.

An attempt carries its whole paper and its answers in compact columns (one row, whatever the
number of questions), so starting, saving and submitting each write one row. The limits that
must hold under concurrent requests are constraints here; the services in
competitions/quizzes/attempts.py only add friendly messages in front of them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from competitions.core.models import Unit

from .quiz import Quiz


class QuizAttempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Finished when time ran out")

    class AutoSubmit(models.TextChoices):
        PAGE_LEAVES = "page_leaves", _("Left the page too often")
        IDLE = "idle", _("Idle too long")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    # "u:<user id>" for signed-in participants, "a:<random cookie>" for anonymous ones:
    # the limits below are per participant key.
    participant_key = models.CharField(max_length=64)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="quiz_attempts"
    )
    day = models.DateField(help_text="The quiz day (Asia/Shanghai) the attempt started on.")
    day_number = models.PositiveSmallIntegerField()
    total_number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(help_text="Start + time limit + grace.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submit_token = models.UUIDField(null=True, blank=True, unique=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    max_score = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    flagged_fast = models.BooleanField(default=False)
    # The drawn paper: [[question id, [choice ids in the order this attempt shows]], ...], by
    # position (1 is the first item).
    paper = models.JSONField(default=list)
    # Per position, None or [client sequence, [chosen choice ids]]: the answer that counts is
    # the one with the highest sequence received before the deadline.
    answers = models.JSONField(default=list)
    # Filled at scoring, one character per position: "1" right, "0" wrong, "-" not answered.
    verdicts = models.TextField(blank=True)
    last_saved_at = models.DateTimeField(null=True, blank=True)
    # Fair play: how often the participant left the page (as their browser reported it), how
    # often the attempt moved to another device, and why it was submitted automatically.
    page_leaves = models.PositiveIntegerField(default=0)
    device = models.CharField(max_length=32, blank=True)
    device_switches = models.PositiveIntegerField(default=0)
    auto_submitted = models.CharField(max_length=12, choices=AutoSubmit.choices, blank=True)
    # Finished but not yet added to the item-analysis counters: set by the scoring
    # transaction, cleared by the worker in the transaction that adds it
    # (item_analysis/counters.py), so an attempt is counted exactly once.
    items_pending = models.BooleanField(default=False, db_default=False)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "participant_key", "day", "day_number"],
                name="attempt_unique_daily_number",
            ),
            models.UniqueConstraint(
                fields=["quiz", "participant_key", "total_number"],
                name="attempt_unique_total_number",
            ),
            models.UniqueConstraint(
                fields=["quiz", "participant_key"],
                condition=Q(status="in_progress"),
                name="attempt_one_open_per_participant",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=models.F("max_score")),
                name="attempt_score_within_max",
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress")
                | (Q(submitted_at__isnull=False) & Q(score__isnull=False)),
                name="attempt_finished_has_score",
            ),
        ]
        indexes = [
            models.Index(fields=["quiz", "status", "deadline"]),
            models.Index(fields=["quiz", "submitted_at"]),
            # Participations per day and hour (statistics.participations_by_*).
            models.Index(fields=["quiz", "day", "started_at"], name="quiz_attempt_day_started"),
            # Participants and attempts per unit (statistics.by_unit, unit_ranking).
            models.Index(
                fields=["quiz", "unit", "participant_key"], name="quiz_attempt_unit_participant"
            ),
            # The few attempts the item counters still wait for.
            models.Index(
                fields=["quiz"], condition=Q(items_pending=True), name="quiz_attempt_items_pending"
            ),
        ]

    def __str__(self):
        return f"{self.quiz} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status != self.Status.IN_PROGRESS

    @property
    def percent(self) -> int:
        if self.score is None or not self.max_score:
            return 0
        return round(100 * self.score / self.max_score)

    def selected(self, position: int) -> list[int]:
        """The choice ids that count for the question at `position` (1-based)."""
        answer = self.answers[position - 1] if 0 < position <= len(self.answers) else None
        return list(answer[1]) if answer else []

    def answered_count(self) -> int:
        return sum(1 for answer in self.answers if answer and answer[1])


class AnswerBatch(models.Model):
    """One batch of answers a phone sent, keyed by its client token.

    A replayed batch (same token) is recognised and changes nothing; the answers it carried
    are kept as they arrived (choice ids, with the client's sequence numbers) for audits.
    """

    token = models.UUIDField(unique=True)
    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="batches")
    received_at = models.DateTimeField()
    # [[position, client sequence, [choice ids]], ...]
    answers = models.JSONField(default=list)
    # How many of them were newer than what the attempt held and replaced it.
    applied = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return str(self.token)


class LeaderboardEntry(models.Model):
    """A participant's best finished attempt in a quiz: higher score, then less time."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="leaderboard")
    participant_key = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    attempt = models.OneToOneField(QuizAttempt, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField()
    achieved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "participant_key"], name="leaderboard_one_entry_per_participant"
            )
        ]
        indexes = [
            models.Index(
                "quiz",
                models.F("score").desc(),
                "duration_ms",
                "achieved_at",
                name="leaderboard_rank",
            )
        ]

    def __str__(self):
        return f"{self.quiz_id}: {self.participant_key} {self.score}"
