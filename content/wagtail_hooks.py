from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet

from kepu import system_tools
from kepu.public_url import is_local_address, public_base_url

from . import slugs
from .reach import viewsets as reach_viewsets
from .video.viewsets import VideoViewSet


class MissingToolsPanel(Component):
    """Tells editors on the dashboard which system tools are missing and how to install them."""

    name = "missing_tools"
    template_name = "content/admin/missing_tools_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        return {"missing": system_tools.missing_tools(), "heading": _("System tools missing")}


@hooks.register("construct_homepage_panels")
def add_missing_tools_panel(request, panels):
    # Only users with admin access reach the dashboard.
    if system_tools.missing_tools():
        panels.append(MissingToolsPanel())


class PublicAddressPanel(Component):
    """Warns staff while the public address (KEPU_BASE_URL) is one phones cannot reach."""

    name = "public_address"
    template_name = "content/admin/public_address_panel.html"
    order = 40

    def get_context_data(self, parent_context):
        return {"heading": _("Public address not set"), "public_base_url": public_base_url()}


@hooks.register("construct_homepage_panels")
def add_public_address_panel(request, panels):
    if is_local_address():
        panels.append(PublicAddressPanel())


# --- video ----------------------------------------------------------------------------------------

register_snippet(VideoViewSet)

# --- reach: posters and QR codes ------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_reach_admin_urls():
    return [path("reach/", include((reach_viewsets.urlpatterns, "reach_admin")))]


@hooks.register("register_page_listing_more_buttons")
def page_listing_poster_button(page, user, next_url=None):
    yield reach_viewsets.PagePostersMenuItem(page=page, priority=55)


@hooks.register("register_page_header_buttons")
def page_header_poster_button(page, user, view_name, next_url=None):
    yield reach_viewsets.PagePostersMenuItem(page=page, priority=68)


@hooks.register("register_reports_menu_item")
def register_poster_report_menu_item():
    return reach_viewsets.PosterReportMenuItem(
        _("Poster scans"),
        reverse("reach_admin:poster_report"),
        name="poster-scans",
        icon_name="mobile-alt",
        order=950,
    )


# --- pinyin slugs ---------------------------------------------------------------------------------

slugs.register()


@hooks.register("register_admin_urls")
def register_slug_suggestion_url():
    return [path("slug-suggestion/", slugs.suggestion_view, name="content_slug_suggestion")]
