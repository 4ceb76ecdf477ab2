"""A quiz: which questions an attempt draws, its clock, its limits and its prize rule."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from competitions.core.models import Unit

from .banks import Difficulty, Question, QuestionBank, QuestionCategory


class Quiz(ClusterableModel):
    """The rules of one quiz. A QuizPage shows it in the site tree."""

    class ReviewPolicy(models.TextChoices):
        IMMEDIATELY = "immediately", _("Right after submitting")
        AFTER_CLOSE = "after_close", _("After the quiz closes")
        NEVER = "never", _("Never (score only)")

    class PrizeRule(models.TextChoices):
        NONE = "none", _("No prizes")
        FULL_MARKS = "full_marks", _("Full marks")
        PASS_MARK = "pass_mark", _("At least the pass mark")

    title = models.CharField(_("title"), max_length=100)
    bank = models.ForeignKey(
        QuestionBank, verbose_name=_("question bank"), on_delete=models.PROTECT, related_name="+"
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        default=10,
        help_text=_("Used when no quotas and no fixed list are set."),
    )
    time_limit_seconds = models.PositiveIntegerField(_("time limit (seconds)"), default=600)
    attempts_per_day = models.PositiveSmallIntegerField(
        _("attempts per day"), default=3, help_text=_("0 means no daily limit.")
    )
    attempts_total = models.PositiveSmallIntegerField(
        _("attempts in total"), default=0, help_text=_("0 means no overall limit.")
    )
    sign_in_required = models.BooleanField(_("sign-in required"), default=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, help_text=_("Score needed for a certificate.")
    )
    prize_rule = models.CharField(
        _("prize eligibility"), max_length=20, choices=PrizeRule.choices, default=PrizeRule.NONE
    )
    review_policy = models.CharField(
        _("show answers and explanations"),
        max_length=20,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.IMMEDIATELY,
    )
    unit_kind = models.CharField(
        _("participants name their"),
        max_length=20,
        choices=Unit.Kind.choices,
        blank=True,
        help_text=_("Leave empty if participants do not choose a unit."),
    )
    min_seconds_per_question = models.PositiveSmallIntegerField(
        _("fastest plausible seconds per question"),
        default=2,
        help_text=_("Attempts finished faster are flagged for organisers."),
    )
    exclude_flagged_from_prizes = models.BooleanField(
        _("flagged attempts cannot win prizes"), default=True
    )
    fixed_questions = models.ManyToManyField(
        Question, through="QuizFixedQuestion", related_name="+", blank=True
    )
    # Fair play (防作弊), all optional.
    count_page_leaves = models.BooleanField(
        _("count leaving the quiz page"),
        default=False,
        help_text=_(
            "Participants are told before they start that switching to another app or tab "
            "is counted; organisers see the counts."
        ),
    )
    max_page_leaves = models.PositiveSmallIntegerField(
        _("submit automatically after this many leaves"),
        default=0,
        help_text=_("0 only counts. Needs “count leaving the quiz page”."),
    )
    idle_timeout_seconds = models.PositiveIntegerField(
        _("submit automatically after this many idle seconds"),
        default=0,
        help_text=_("0 means never. Participants see a warning 30 seconds before."),
    )
    one_device = models.BooleanField(
        _("one device at a time"),
        default=False,
        help_text=_(
            "Opening an attempt on another phone or browser moves it there; the first one "
            "can no longer save answers. Organisers see how often an attempt moved."
        ),
    )
    # Which drawn papers and cached question texts are current (competitions/quizzes/papers.py):
    # a fresh random number whenever the quiz, its draw rules or its bank's questions change.
    material_version = models.BigIntegerField(default=0, editable=False)

    panels = [
        FieldPanel("title"),
        FieldPanel("bank"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        MultiFieldPanel(
            [
                FieldPanel("questions_per_attempt"),
                InlinePanel("draw_rules", label=_("Quotas by category and difficulty")),
                InlinePanel("fixed_question_links", label=_("Fixed list of questions")),
            ],
            heading=_("Questions"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("time_limit_seconds"),
                FieldRowPanel([FieldPanel("attempts_per_day"), FieldPanel("attempts_total")]),
                FieldPanel("sign_in_required"),
                FieldPanel("unit_kind"),
            ],
            heading=_("Taking part"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("review_policy"),
                FieldPanel("prize_rule"),
                FieldPanel("min_seconds_per_question"),
                FieldPanel("exclude_flagged_from_prizes"),
            ],
            heading=_("Results and prizes"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("count_page_leaves"), FieldPanel("max_page_leaves")]),
                FieldPanel("idle_timeout_seconds"),
                FieldPanel("one_device"),
            ],
            heading=_("Fair play"),
        ),
    ]

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="quiz_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(pass_mark__lte=100), name="quiz_pass_mark_is_a_percentage"
            ),
            models.CheckConstraint(
                condition=models.Q(time_limit_seconds__gte=10), name="quiz_time_limit_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Every save names a new version: a form saved from an old copy of the quiz can never
        # bring back a version whose cached questions are out of date.
        self.material_version = new_material_version()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "material_version"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The quiz must close after it opens.")})
        if self.max_page_leaves and not self.count_page_leaves:
            raise ValidationError(
                {"max_page_leaves": _("Turn on counting leaves to submit after a number of them.")}
            )

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"

    @property
    def time_limit(self) -> timedelta:
        return timedelta(seconds=self.time_limit_seconds)


def new_material_version() -> int:
    """A version number never used before (random, 62 bits)."""
    return secrets.randbits(62)


class QuizDrawRule(Orderable):
    """Draw `count` questions of this category and difficulty (either may be "any")."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="draw_rules")
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty.choices, blank=True
    )
    count = models.PositiveSmallIntegerField(_("number of questions"))

    panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("difficulty"), FieldPanel("count")])
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")


class QuizFixedQuestion(Orderable):
    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="fixed_question_links")
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("question")]

    class Meta(Orderable.Meta):
        verbose_name = _("fixed question")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "question"], name="fixed_question_once")
        ]
