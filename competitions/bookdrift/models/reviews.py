"""Reading reviews written from a copy's page: a link from a contest entry to its book."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .books import Book
from .campaigns import DriftCampaign
from .copies import BookCopy


class BookReview(models.Model):
    """The entry (读后感) is the submissions app's; this says which book it is about and
    whether organisers show it on the book's page. It appears there only while the entry
    is also publicly displayable (competitions/submissions/display.py)."""

    entry = models.OneToOneField(
        "submissions.Entry", on_delete=models.CASCADE, related_name="book_review"
    )
    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="reviews")
    copy = models.ForeignKey(
        BookCopy, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    campaign = models.ForeignKey(
        DriftCampaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    shown = models.BooleanField(_("shown on the book's page"), default=False)
    shown_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shown_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("book review")
        verbose_name_plural = _("book reviews")
        indexes = [models.Index(fields=["book", "shown"], name="bookdrift_review_book")]

    def __str__(self):
        return f"{self.book} · {self.entry}"
