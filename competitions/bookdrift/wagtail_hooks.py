"""The book drift in the Wagtail admin (viewsets.py, organiser/), on the home page's 正在进行,
on the 我的 page, and in the demo."""

import datetime

from django.db.models import Min
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from content.open_now import OpenItem, OpenNow, earliest_after
from kepu.days import day_start, local_day

from . import viewsets
from .models import DriftCampaign
from .organiser import access
from .views.reader import my_section


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("bookdrift/", include("competitions.bookdrift.organiser.urls"))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register(viewsets.MENU_HOOK)
def dashboards_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Dashboards"),
        reverse("bookdrift_desk:campaigns"),
        icon_name="view",
        order=0,
        permission=access.MANAGE,
    )


@hooks.register(viewsets.MENU_HOOK)
def register_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Register copies"),
        reverse("bookdrift_desk:register"),
        icon_name="plus",
        order=25,
        permission=access.COPIES,
    )


@hooks.register(viewsets.MENU_HOOK)
def notes_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Drift notes to approve"),
        reverse("bookdrift_desk:notes"),
        icon_name="comment",
        order=26,
        permission=access.MODERATE,
    )


@hooks.register(viewsets.MENU_HOOK)
def donations_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Donated books to approve"),
        reverse("bookdrift_desk:donations"),
        icon_name="gift",
        order=27,
        permission=access.COPIES,
    )


@hooks.register("kepu_open_now")
def open_drifts(now):
    """Public drift campaigns running at `now`, for the home page's first screen
    (content/open_now.py). A campaign runs from the start of its first day to the end of its
    last, Beijing time."""

    def end_of(day: datetime.date) -> datetime.datetime:
        return day_start(day + datetime.timedelta(days=1))

    today = local_day(now)
    public = DriftCampaign.objects.filter(is_public=True)
    running = list(public.filter(starts_on__lte=today, ends_on__gte=today).order_by("ends_on"))
    first_day = public.filter(starts_on__gt=today).aggregate(first=Min("starts_on"))["first"]
    return OpenNow(
        items=[
            OpenItem(
                kind=gettext_lazy("Book drift"),
                title=campaign.title,
                url=reverse("bookdrift:campaign", args=[campaign.slug]),
                action=gettext_lazy("Join the drift"),
                until=end_of(campaign.ends_on),
            )
            for campaign in running
        ],
        next_change=earliest_after(
            now,
            [
                first_day and day_start(first_day),
                *(end_of(campaign.ends_on) for campaign in running),
            ],
        ),
    )


@hooks.register("kepu_my_sections")
def my_drift_books(request):
    """The 我的 page's drift: the latest books read (and which are still with the reader),
    reviews and unread messages, linking to /me/books/."""
    return my_section(request)
