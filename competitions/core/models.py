from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """An organising unit (组织单位): a region, a school or an employer.

    Participants pick one from this managed list, so rankings of units (优秀组织单位) count
    the same unit under one name.
    """

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        SCHOOL = "school", _("School")
        EMPLOYER = "employer", _("Employer")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "sort_order", "name"]
        verbose_name = _("organising unit")
        verbose_name_plural = _("organising units")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="unit_unique_name_per_kind")
        ]

    def __str__(self):
        return self.name


class ModerationWord(models.Model):
    """A word that may not appear in text readers write for others to see (drift notes,
    comments). Organisers keep the list in the admin; `competitions/core/text_checks.py`
    applies it."""

    word = models.CharField(_("word"), max_length=30, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["word"]
        verbose_name = _("filtered word")
        verbose_name_plural = _("filtered words")

    def __str__(self):
        return self.word
