"""Drift campaigns (漂流活动), the classes taking part and drift stations (漂流站)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from competitions.core.models import Unit
from kepu.days import local_day


class SchoolClass(models.Model):
    """A class (班级) of a school in the organising-unit list (`Unit`, kind school).

    The unit list has schools but no classes; a drift runs class by class (a class library
    corner, a class's reading period), so classes hang off their school here.
    """

    school = models.ForeignKey(
        Unit,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="drift_classes",
        limit_choices_to={"kind": Unit.Kind.SCHOOL},
    )
    name = models.CharField(_("class"), max_length=40, help_text=_("e.g. 三年级（2）班"))
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    panels = [FieldPanel("school"), FieldRowPanel([FieldPanel("name"), FieldPanel("sort_order")])]

    class Meta:
        ordering = ["school__sort_order", "school__name", "sort_order", "name"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="bookdrift_class_unique")
        ]

    def __str__(self):
        return f"{self.school.name}{self.name}"

    def clean(self):
        super().clean()
        if self.school_id and self.school.kind != Unit.Kind.SCHOOL:
            raise ValidationError({"school": _("Choose a school from the list.")})


class Station(models.Model):
    """A drift station (漂流站): a shelf where copies wait between readers."""

    class Kind(models.TextChoices):
        CLASS_CORNER = "class_corner", _("Class library corner")
        SCHOOL_LIBRARY = "school_library", _("School library")
        COMMUNITY = "community", _("Community gallery or library")
        OTHER = "other", _("Other public place")

    name = models.CharField(_("name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    school = models.ForeignKey(
        Unit,
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drift_stations",
        limit_choices_to={"kind": Unit.Kind.SCHOOL},
        help_text=_("For a station inside a school."),
    )
    address = models.CharField(
        _("where exactly"),
        max_length=120,
        blank=True,
        help_text=_("Shown publicly, e.g. 教学楼一楼大厅东侧书架."),
    )
    is_active = models.BooleanField(_("open"), default=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("school")]),
        FieldPanel("address"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("drift station")
        verbose_name_plural = _("drift stations")

    def __str__(self):
        return self.name


class DriftCampaign(models.Model):
    """One drift (a season): which schools and classes take part, where copies wait, how
    long a reader keeps a book, and which contests the readers' reviews and videos enter.
    """

    title = models.CharField(_("title"), max_length=80)
    slug = models.SlugField(_("address"), max_length=60, unique=True, allow_unicode=False)
    intro = models.TextField(_("introduction"), max_length=600, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    reading_days = models.PositiveSmallIntegerField(
        _("reading period (days)"),
        default=20,
        help_text=_("How long a reader keeps a book before passing it on."),
    )
    reminder_interval_days = models.PositiveSmallIntegerField(
        _("remind at most every (days)"),
        default=7,
        help_text=_("A reader past the reading period is reminded at most this often."),
    )
    allow_anonymous = models.BooleanField(
        _("readers may catch without signing in"),
        default=False,
        help_text=_("They then give only a nickname and a place."),
    )
    schools = models.ManyToManyField(
        Unit,
        verbose_name=_("schools"),
        blank=True,
        related_name="drift_campaigns",
        limit_choices_to={"kind": Unit.Kind.SCHOOL},
    )
    classes = models.ManyToManyField(
        SchoolClass, verbose_name=_("classes"), blank=True, related_name="campaigns"
    )
    stations = models.ManyToManyField(
        Station, verbose_name=_("drift stations"), blank=True, related_name="campaigns"
    )
    review_contest = models.ForeignKey(
        "submissions.Contest",
        verbose_name=_("reading-review contest"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Reviews written from a copy's page enter this contest."),
    )
    video_contest = models.ForeignKey(
        "submissions.Contest",
        verbose_name=_("short-video contest"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    award_places = models.PositiveSmallIntegerField(
        _("places per award"),
        default=3,
        help_text=_("How many copies, readers and donors each award ranks."),
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Untick to prepare the campaign unseen.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                FieldRowPanel([FieldPanel("reading_days"), FieldPanel("reminder_interval_days")]),
                FieldPanel("allow_anonymous"),
                FieldPanel("is_public"),
            ],
            heading=_("Dates and rules"),
        ),
        MultiFieldPanel(
            [FieldPanel("schools"), FieldPanel("classes"), FieldPanel("stations")],
            heading=_("Who takes part and where books wait"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("review_contest"),
                FieldPanel("video_contest"),
                FieldPanel("award_places"),
            ],
            heading=_("Contests and awards"),
        ),
    ]

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("drift campaign")
        verbose_name_plural = _("drift campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="bookdrift_campaign_dates"
            ),
            models.CheckConstraint(
                condition=Q(reading_days__gte=1, reading_days__lte=365),
                name="bookdrift_campaign_reading_days",
            ),
            models.CheckConstraint(
                condition=Q(reminder_interval_days__gte=1), name="bookdrift_campaign_reminders"
            ),
            models.CheckConstraint(
                condition=Q(award_places__gte=1, award_places__lte=50),
                name="bookdrift_campaign_award_places",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The campaign must end after it starts.")})
        if not 1 <= (self.reading_days or 0) <= 365:
            raise ValidationError({"reading_days": _("Choose between 1 and 365 days.")})
        if not 1 <= (self.award_places or 0) <= 50:
            raise ValidationError({"award_places": _("Choose between 1 and 50 places.")})

    def is_running(self, today: datetime.date | None = None) -> bool:
        """Whether readers may catch and release copies today (Asia/Shanghai dates)."""
        today = today or local_day()
        return self.starts_on <= today <= self.ends_on

    @property
    def reading_period(self) -> datetime.timedelta:
        return datetime.timedelta(days=self.reading_days)
