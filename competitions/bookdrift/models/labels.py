"""Label layouts (标签版式) and printed label sheets (标签页)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from kepu.storage import private_storage

from .campaigns import DriftCampaign

A4_WIDTH_MM = Decimal(210)
A4_HEIGHT_MM = Decimal(297)
# A QR code needs room to be scanned from a book cover: labels smaller than this are refused.
MIN_LABEL_WIDTH_MM = Decimal(40)
MIN_LABEL_HEIGHT_MM = Decimal(20)


def _mm(verbose_name, default, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=1, default=Decimal(default), **kwargs
    )


class LabelLayout(models.Model):
    """An A4 sheet of self-adhesive labels: columns × rows of labels of one size, with the
    page margins and the gaps between labels, as printed on the label paper's packet.

    The database refuses a layout whose labels do not fit on A4 (and the admin form says by
    how much), so a sheet can never print off the page.
    """

    name = models.CharField(_("name"), max_length=60, unique=True)
    columns = models.PositiveSmallIntegerField(_("columns"), default=3)
    rows = models.PositiveSmallIntegerField(_("rows"), default=8)
    label_width_mm = _mm(_("label width (mm)"), "70")
    label_height_mm = _mm(_("label height (mm)"), "37")
    margin_left_mm = _mm(_("left margin (mm)"), "0")
    margin_top_mm = _mm(_("top margin (mm)"), "0.5")
    gap_x_mm = _mm(_("gap between columns (mm)"), "0")
    gap_y_mm = _mm(_("gap between rows (mm)"), "0")
    is_default = models.BooleanField(_("default"), default=False)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("is_default")]),
        FieldRowPanel([FieldPanel("columns"), FieldPanel("rows")]),
        FieldRowPanel([FieldPanel("label_width_mm"), FieldPanel("label_height_mm")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("margin_left_mm"), FieldPanel("margin_top_mm")]),
                FieldRowPanel([FieldPanel("gap_x_mm"), FieldPanel("gap_y_mm")]),
            ],
            heading=_("Margins and gaps"),
        ),
    ]

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("label layout")
        verbose_name_plural = _("label layouts")
        constraints = [
            models.CheckConstraint(
                condition=Q(columns__gte=1, rows__gte=1), name="bookdrift_layout_grid"
            ),
            models.CheckConstraint(
                condition=Q(
                    label_width_mm__gte=MIN_LABEL_WIDTH_MM,
                    label_height_mm__gte=MIN_LABEL_HEIGHT_MM,
                    margin_left_mm__gte=0,
                    margin_top_mm__gte=0,
                    gap_x_mm__gte=0,
                    gap_y_mm__gte=0,
                ),
                name="bookdrift_layout_sizes",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    F("margin_left_mm")
                    + F("columns") * F("label_width_mm")
                    + (F("columns") - 1) * F("gap_x_mm"),
                    Value(A4_WIDTH_MM),
                ),
                name="bookdrift_layout_fits_width",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    F("margin_top_mm")
                    + F("rows") * F("label_height_mm")
                    + (F("rows") - 1) * F("gap_y_mm"),
                    Value(A4_HEIGHT_MM),
                ),
                name="bookdrift_layout_fits_height",
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="bookdrift_layout_one_default",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def needed_width_mm(self) -> Decimal:
        return (
            self.margin_left_mm
            + self.columns * self.label_width_mm
            + (self.columns - 1) * self.gap_x_mm
        )

    @property
    def needed_height_mm(self) -> Decimal:
        return (
            self.margin_top_mm + self.rows * self.label_height_mm + (self.rows - 1) * self.gap_y_mm
        )

    def clean(self):
        super().clean()
        errors = {}
        if (self.columns or 0) < 1:
            errors["columns"] = gettext("At least one column.")
        if (self.rows or 0) < 1:
            errors["rows"] = gettext("At least one row.")
        if self.label_width_mm is not None and self.label_width_mm < MIN_LABEL_WIDTH_MM:
            errors["label_width_mm"] = gettext(
                "Labels narrower than %(mm)s mm leave no room for a scannable QR code."
            ) % {"mm": MIN_LABEL_WIDTH_MM}
        if self.label_height_mm is not None and self.label_height_mm < MIN_LABEL_HEIGHT_MM:
            errors["label_height_mm"] = gettext(
                "Labels lower than %(mm)s mm leave no room for a scannable QR code."
            ) % {"mm": MIN_LABEL_HEIGHT_MM}
        if errors:
            raise ValidationError(errors)
        if any(
            value is None or value < 0
            for value in (self.margin_left_mm, self.margin_top_mm, self.gap_x_mm, self.gap_y_mm)
        ):
            raise ValidationError(gettext("Margins and gaps cannot be negative."))
        problems = []
        if self.needed_width_mm > A4_WIDTH_MM:
            problems.append(
                gettext(
                    "Across, the labels need %(needed)s mm (margin, %(columns)s × %(width)s mm "
                    "and the gaps), but A4 is only 210 mm wide."
                )
                % {
                    "needed": self.needed_width_mm,
                    "columns": self.columns,
                    "width": self.label_width_mm,
                }
            )
        if self.needed_height_mm > A4_HEIGHT_MM:
            problems.append(
                gettext(
                    "Down, the labels need %(needed)s mm (margin, %(rows)s × %(height)s mm "
                    "and the gaps), but A4 is only 297 mm high."
                )
                % {
                    "needed": self.needed_height_mm,
                    "rows": self.rows,
                    "height": self.label_height_mm,
                }
            )
        if problems:
            raise ValidationError(
                [gettext("This layout does not fit on an A4 page."), *problems], code="too_big"
            )


class LabelSheet(models.Model):
    """A PDF of QR labels for some copies, drawn in the background (labels.py) and kept in
    private storage for the organisers who may manage copies."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being drawn")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    campaign = models.ForeignKey(
        DriftCampaign, on_delete=models.CASCADE, related_name="label_sheets"
    )
    layout = models.ForeignKey(LabelLayout, on_delete=models.PROTECT, related_name="+")
    copy_ids = models.JSONField(default=list)
    skip = models.PositiveSmallIntegerField(_("labels already used on the first sheet"), default=0)
    description = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(storage=private_storage, upload_to="bookdrift/labels/", blank=True)
    pages = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("label sheet")
        verbose_name_plural = _("label sheets")

    def __str__(self):
        return self.description or f"label sheet {self.pk}"

    @property
    def label_count(self) -> int:
        return len(self.copy_ids)
