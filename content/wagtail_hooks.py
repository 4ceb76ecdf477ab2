from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from kepu import system_tools
from kepu.public_url import is_local_address, public_base_url

from . import slugs


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


# --- video ------------------------------------------------------------------------------------

from wagtail.snippets.models import register_snippet  # noqa: E402

from .video_admin import VideoViewSet  # noqa: E402

register_snippet(VideoViewSet)
# Posters and QR codes: the per-page view, its buttons and the poster scans report.
from . import reach_admin  # noqa: E402,F401

# --- pinyin slugs -----------------------------------------------------------------------------

slugs.register()


@hooks.register("register_admin_urls")
def register_slug_suggestion_url():
    return [path("slug-suggestion/", slugs.suggestion_view, name="content_slug_suggestion")]
