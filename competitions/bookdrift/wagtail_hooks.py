"""The book drift in the Wagtail admin (viewsets.py, organiser/), on the home page, on the
account page, and in the demo."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import viewsets
from .organiser import access


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


@hooks.register("kepu_home_sections")
def running_drifts_on_the_home_page(request, home):
    from accounts.age import today_in_shanghai

    from .models import DriftCampaign

    today = today_in_shanghai()
    running = list(
        DriftCampaign.objects.filter(is_public=True, starts_on__lte=today, ends_on__gte=today)
    )
    if not running:
        return None
    return {"template": "bookdrift/includes/home_drifts.html", "campaigns": running, "order": 30}


@hooks.register("kepu_profile_sections")
def drift_on_the_account_page(request):
    from .views.reader import profile_section

    return profile_section(request)


@hooks.register("kepu_load_demo", order=50)
def load_demo_drift(home, report):
    """A living drift (after the contests, judging, votes and popularity demos)."""
    from .demo import load

    load(home, report)
