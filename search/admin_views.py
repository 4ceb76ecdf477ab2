"""Wagtail admin for the search site: the query report and the failed-indexing warning.

Registered from search/wagtail_hooks.py. The report shows the anonymised query log to
users with the "view search query" permission (superusers and groups granted it); others
get a 403 with the reason: searches that found nothing, and searches whose first result
people do not open, so editors can add synonyms, dictionary words or content.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from kepu.forbidden import explained_403

from . import indexing, query_log

REPORT_PERMISSION = "search.view_querylog"
PERIODS = (7, 30)


class QueryReportView(WagtailAdminTemplateMixin, TemplateView):
    """Searches without results, searches whose first result few people open, and popular
    searches, over the last 7 or 30 days."""

    template_name = "search/admin/query_report.html"
    header_icon = "search"
    page_title = gettext_lazy("Search queries")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(REPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            days = int(self.request.GET.get("days", PERIODS[0]))
        except ValueError:
            days = PERIODS[0]
        if days not in PERIODS:
            days = PERIODS[0]
        context.update(
            days=days,
            periods=PERIODS,
            popular=query_log.top_queries(days),
            no_results=query_log.top_queries(days, no_results=True),
            unopened=query_log.unopened_first_results(days),
            search_url=reverse("search"),
            synonyms_url=_snippet_url("search", "synonymgroup"),
            dictionary_url=_snippet_url("search", "dictionaryword"),
        )
        return context


def _snippet_url(app_label: str, model_name: str) -> str:
    """The admin listing of a snippet model (where editors add synonyms or words)."""
    return reverse(f"wagtailsnippets_{app_label}_{model_name}:list")


query_report = explained_403(
    gettext_lazy("Only organisers allowed to see search statistics can open this report.")
)(QueryReportView.as_view())


class QueryReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REPORT_PERMISSION)


class IndexingFailuresPanel(Component):
    """Dashboard warning while index updates keep failing (the outbox retries them)."""

    name = "search_indexing_failures"
    template_name = "search/admin/indexing_failures_panel.html"
    order = 40

    def __init__(self, failures: int):
        self.failures = failures

    def get_context_data(self, parent_context):
        return {"failures": self.failures}


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("search/queries/", query_report, name="search_query_report")]


@hooks.register("register_reports_menu_item")
def register_query_report_menu_item():
    return QueryReportMenuItem(
        gettext_lazy("Search queries"),
        reverse("search_query_report"),
        icon_name="search",
        order=900,
    )


@hooks.register("construct_homepage_panels")
def add_indexing_failures_panel(request, panels):
    user = request.user
    if not (user.is_superuser or user.has_perm("wagtailadmin.access_admin")):
        return
    failures = indexing.pending_failures()
    if failures:
        panels.insert(0, IndexingFailuresPanel(failures))
