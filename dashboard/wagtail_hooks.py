"""The organisers' dashboard: the admin's home page shows the panels this user may act on;
the project's admin stylesheet (dashboard, judge picker) is loaded on every admin page."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .panels import PANELS


@hooks.register("insert_global_admin_css")
def admin_stylesheet():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("construct_homepage_panels")
def add_organiser_panels(request, panels):
    panels.extend(panel() for panel in PANELS if panel.is_shown(request.user))
