from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from kepu import system_tools


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


# --- video ------------------------------------------------------------------------------------

from wagtail.snippets.models import register_snippet  # noqa: E402

from .video_admin import VideoViewSet  # noqa: E402

register_snippet(VideoViewSet)
# Posters and QR codes: the per-page view, its buttons and the poster scans report.
from . import reach_admin  # noqa: E402,F401
