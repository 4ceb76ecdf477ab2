"""Books (书目): the title a copy is a copy of."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from ..isbn import DB_PATTERN, display_isbn, normalise_isbn, validate_isbn


class Book(models.Model):
    """A title (书目) with its catalogue data; copies of it drift (BookCopy).

    The ISBN is stored as ISBN-13 and is unique when given; donated books without an ISBN
    (older editions) are catalogued by title.
    """

    title = models.CharField(_("title"), max_length=100)
    author = models.CharField(_("author / illustrator"), max_length=100, blank=True)
    publisher = models.CharField(_("publisher"), max_length=100, blank=True)
    isbn = models.CharField(
        _("ISBN"),
        max_length=32,
        blank=True,
        validators=[validate_isbn],
        help_text=_("ISBN-10 or ISBN-13, hyphens allowed; checked with its check digit."),
    )
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    series = models.CharField(_("series"), max_length=100, blank=True)
    age_min = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("author"), FieldPanel("publisher")]),
        FieldRowPanel([FieldPanel("isbn"), FieldPanel("series")]),
        FieldPanel("cover"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("age_min"), FieldPanel("age_max")])],
            heading=_("Suitable age"),
        ),
        FieldPanel("summary"),
    ]

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("book")
        verbose_name_plural = _("books")
        constraints = [
            models.UniqueConstraint(
                fields=["isbn"], condition=~Q(isbn=""), name="bookdrift_book_isbn_unique"
            ),
            models.CheckConstraint(
                condition=Q(isbn="") | Q(isbn__regex=DB_PATTERN), name="bookdrift_book_isbn_13"
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=models.F("age_max")),
                name="bookdrift_book_age_range",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        try:
            self.isbn = normalise_isbn(self.isbn)
        except ValidationError as error:
            raise ValidationError({"isbn": error.messages}) from error
        self.title = " ".join((self.title or "").split())
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValidationError({"age_max": _("The upper age must not be below the lower one.")})

    @property
    def isbn_display(self) -> str:
        return display_isbn(self.isbn)

    @property
    def age_range(self) -> str:
        if self.age_min and self.age_max:
            return _("%(low)s–%(high)s years") % {"low": self.age_min, "high": self.age_max}
        if self.age_min:
            return _("from %(low)s years") % {"low": self.age_min}
        return ""
