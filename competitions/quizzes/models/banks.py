"""Question banks (题库): categories, questions and their choices."""

import hashlib
import re
import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class QuestionBank(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")

    def __str__(self):
        return self.name


class QuestionCategory(models.Model):
    bank = models.ForeignKey(
        QuestionBank, verbose_name=_("bank"), on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField(_("name"), max_length=60)

    panels = [FieldPanel("bank"), FieldPanel("name")]

    class Meta:
        ordering = ["bank", "name"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        constraints = [
            models.UniqueConstraint(fields=["bank", "name"], name="category_unique_per_bank")
        ]

    def __str__(self):
        return f"{self.bank} · {self.name}"


def stem_fingerprint(stem: str) -> str:
    """A key for spotting the same question typed twice (width, case, spaces, punctuation)."""
    text = unicodedata.normalize("NFKC", stem).lower()
    text = re.sub(r"[\W_]+", "", text)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Question(index.Indexed, ClusterableModel):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")

    bank = models.ForeignKey(
        QuestionBank, verbose_name=_("bank"), on_delete=models.CASCADE, related_name="questions"
    )
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.SINGLE)
    stem = models.TextField(_("question"), max_length=500)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Why the right answer is right, shown after.")
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    fingerprint = models.CharField(max_length=32, editable=False)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [
        FieldPanel("bank"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("difficulty"), FieldPanel("kind")]),
        FieldPanel("stem"),
        FieldPanel("image"),
        InlinePanel("choices", label=_("Choices"), min_num=2, max_num=8),
        FieldPanel("explanation"),
        FieldPanel("source"),
        FieldPanel("is_active"),
    ]
    search_fields = [index.SearchField("stem"), index.FilterField("bank_id")]

    class Meta:
        ordering = ["bank", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "fingerprint"], name="question_unique_stem_per_bank"
            )
        ]
        indexes = [models.Index(fields=["bank", "category", "difficulty", "is_active"])]

    def __str__(self):
        return self.stem[:40]

    @classmethod
    def from_db(cls, db, field_names, values):
        question = super().from_db(db, field_names, values)
        # Moving a question to another bank changes the old bank's quizzes too (papers.py).
        question._loaded_bank_id = question.__dict__.get("bank_id")
        return question

    def save(self, *args, **kwargs):
        self.fingerprint = stem_fingerprint(self.stem)
        super().save(*args, **kwargs)

    def correct_choice_ids(self) -> frozenset[int]:
        return frozenset(choice.pk for choice in self.choices.all() if choice.is_correct)


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("text"), max_length=200)
    is_correct = models.BooleanField(_("correct"), default=False)

    panels = [FieldRowPanel([FieldPanel("text"), FieldPanel("is_correct")])]

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text
