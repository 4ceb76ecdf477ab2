"""The reader's own drift page (/me/books/): books read, reviews, donations, awards and
notices. Its latest books are a section of the 我的 page (/me/)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Max, Min
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from accounts.my_page import ITEMS

from ..models import BookCopy, BookReview, DriftAward, JourneyStep, ReaderNotice


def books_read(user) -> list[dict]:
    """The copies `user` caught, newest first, with whether they still have them."""
    rows = (
        JourneyStep.objects.filter(reader=user, kind=JourneyStep.Kind.CATCH)
        .values("copy_id")
        .annotate(first=Min("created_at"), last=Max("created_at"))
        .order_by("-last")
    )
    copies = BookCopy.objects.select_related("book", "campaign").in_bulk(
        [row["copy_id"] for row in rows]
    )
    key = f"u:{user.pk}"
    return [
        {
            "copy": copies[row["copy_id"]],
            "caught": row["last"],
            "holding": copies[row["copy_id"]].holder_key == key
            and copies[row["copy_id"]].state == BookCopy.State.READING,
        }
        for row in rows
        if row["copy_id"] in copies
    ]


@never_cache
@login_required
def my_books(request):
    """The signed-in reader's drift page; showing the messages marks them read."""
    user = request.user
    notices = list(ReaderNotice.objects.filter(reader=user).select_related("copy")[:30])
    unread = [notice.pk for notice in notices if notice.read_at is None]
    if unread:
        ReaderNotice.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(
        request,
        "bookdrift/my_books.html",
        {
            "read": books_read(user),
            "reviews": BookReview.objects.filter(entry__author=user)
            .select_related("entry", "book", "entry__contest")
            .order_by("-created_at"),
            "donations": BookCopy.objects.filter(donor=user)
            .select_related("book", "campaign")
            .order_by("-created_at"),
            "awards": DriftAward.objects.filter(person=user, published_at__isnull=False)
            .select_related("campaign", "certificate", "person")
            .order_by("-published_at"),
            "notices": notices,
            "unread": set(unread),
        },
    )


def my_section(request) -> dict | None:
    """The drift's section of the 我的 page (accounts/my_page.py): the latest books read,
    which of them the reader still holds, and counts of reviews and unread messages, in
    four queries; None for someone who never took part."""
    user = request.user
    read = books_read(user)
    reviews = BookReview.objects.filter(entry__author=user).count()
    unread = ReaderNotice.objects.filter(reader=user, read_at__isnull=True).count()
    if not (read or reviews or unread):
        return None
    return {
        "template": "bookdrift/includes/my_section.html",
        "anchor": "my-drift",
        "label": _("My drift books"),
        "order": 40,
        "books": read[:ITEMS],
        "read": len(read),
        "holding": sum(1 for row in read if row["holding"]),
        "reviews": reviews,
        "unread": unread,
    }
