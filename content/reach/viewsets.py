"""Wagtail admin for posters: a "posters and QR codes" view per page, downloads, a report.

Only users who may edit a page see or make its posters (403 otherwise). The views, their
URLs and menu items are registered by content/wagtail_hooks.py.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, re_path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, StatusFlagColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.utils.urlpatterns import decorate_urlpatterns

from kepu import system_tools
from kepu.forbidden import explained_403
from kepu.public_url import is_local_address, public_base_url

from . import shortlinks
from .models import Poster
from .posters import (
    PosterFontMissing,
    font_missing_message,
    poster_filename,
    poster_pdf,
    poster_png,
)

RECENT_DAYS = 7


# Refusals answer 403 with the reason (Wagtail would redirect to the dashboard).
forbidden_as_403 = explained_403(
    gettext_lazy("Only people who may edit this page can manage its posters.")
)


def editable_page(request, page_id: int) -> Page:
    """The page, if the user may edit it; PermissionDenied (403) otherwise."""
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


def _editable_poster(request, poster_id: int) -> Poster:
    poster = get_object_or_404(Poster.objects.select_related("page"), pk=poster_id)
    editable_page(request, poster.page_id)
    return poster


class PosterForm(forms.ModelForm):
    class Meta:
        model = Poster
        fields = ["location"]


class PagePostersView(WagtailAdminTemplateMixin, TemplateView):
    """A page's posters with their scans; creates new ones."""

    template_name = "content/admin/page_posters.html"
    header_icon = "mobile-alt"
    page_title = gettext_lazy("Posters and QR codes")

    def dispatch(self, request, page_id: int):
        self.page = editable_page(request, page_id)
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_explore", args=[self.page.get_parent().pk])
                if not self.page.is_root()
                else "",
                "label": self.page.get_admin_display_title(),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        posters = shortlinks.with_scan_counts(
            self.page.posters.select_related("created_by", "page"), recent_days=RECENT_DAYS
        )
        for poster in posters:
            poster.short_url = shortlinks.short_url(poster)
        context.update(
            page=self.page,
            posters=posters,
            form=form or PosterForm(),
            recent_days=RECENT_DAYS,
            font_missing=system_tools.cjk_font_path() is None,
            font_install_hint=PosterFontMissing.install_hint,
            public_address_is_local=is_local_address(),
            public_base_url=public_base_url(),
            page_qr_url=reverse("reach:page_qr_svg", args=[self.page.pk])
            if self.page.live
            else None,
        )
        return context

    def post(self, request, page_id: int):
        form = PosterForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        poster = shortlinks.create_poster(
            self.page, form.cleaned_data["location"], created_by=request.user
        )
        messages.success(
            request, _("Poster for “%(location)s” created.") % {"location": poster.location}
        )
        return redirect("reach_admin:page_posters", page_id=self.page.pk)


def poster_download(request, poster_id: str, file_format: str):
    """The poster as a PNG or PDF attachment, drawn on request."""
    poster = _editable_poster(request, int(poster_id))
    render, content_type = {
        "png": (poster_png, "image/png"),
        "pdf": (poster_pdf, "application/pdf"),
    }[file_format]
    try:
        content = render(poster)
    except PosterFontMissing:
        messages.error(request, font_missing_message())
        return redirect("reach_admin:page_posters", page_id=poster.page_id)
    response = HttpResponse(content, content_type=content_type)
    filename = poster_filename(poster, file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def poster_deactivate(request, poster_id: int):
    """Switches a poster's short link off (its scans are kept)."""
    return _set_active(request, poster_id, False)


@require_POST
def poster_reactivate(request, poster_id: int):
    """Switches a deactivated poster's short link on again (posters stay up by mistake)."""
    return _set_active(request, poster_id, True)


def _set_active(request, poster_id: int, active: bool):
    poster = _editable_poster(request, poster_id)
    shortlinks.set_poster_active(poster, active)
    message = (
        _("The short link of the poster at “%(location)s” works again.")
        if active
        else _("The short link of the poster at “%(location)s” no longer works.")
    )
    messages.success(request, message % {"location": poster.location})
    return redirect("reach_admin:page_posters", page_id=poster.page_id)


class PosterReportView(ReportView):
    """Every poster on pages the user may edit, most scanned first."""

    page_title = gettext_lazy("Poster scans")
    header_icon = "mobile-alt"
    index_url_name = "reach_admin:poster_report"
    index_results_url_name = "reach_admin:poster_report_results"
    default_ordering = "-scan_total"
    export_filename = "poster-scans"
    list_export = ["location", "code", "page.title", "scan_total", "scan_recent", "created_at"]
    export_headings = {
        "location": gettext_lazy("Location"),
        "code": gettext_lazy("Short code"),
        "page.title": gettext_lazy("Page"),
        "scan_total": gettext_lazy("Scans"),
        "scan_recent": gettext_lazy("Scans in the last 7 days"),
        "created_at": gettext_lazy("Created at"),
    }
    columns = [
        TitleColumn(
            "location",
            label=gettext_lazy("Location"),
            get_url=lambda poster: reverse("reach_admin:page_posters", args=[poster.page_id]),
        ),
        Column("page", label=gettext_lazy("Page"), accessor="page.title"),
        NumberColumn("scan_total", label=gettext_lazy("Scans"), sort_key="scan_total"),
        NumberColumn("scan_recent", label=gettext_lazy("Last 7 days"), sort_key="scan_recent"),
        DateColumn("created_at", label=gettext_lazy("Created"), sort_key="created_at"),
        StatusFlagColumn(
            "is_active",
            label=gettext_lazy("Status"),
            true_label=gettext_lazy("Active"),
            false_label=gettext_lazy("Deactivated"),
        ),
    ]

    def get_base_queryset(self):
        pages = PagePermissionPolicy().instances_user_has_permission_for(
            self.request.user, "change"
        )
        posters = Poster.objects.filter(page__in=pages).select_related("page")
        return shortlinks.with_scan_counts(posters, recent_days=RECENT_DAYS)


def user_has_editable_pages(user) -> bool:
    return PagePermissionPolicy().user_has_any_permission(user, ["change"])


class PagePostersMenuItem(PageMenuItem):
    """ "Posters and QR codes" in a page's more-menu and header, for users who may edit it."""

    label = gettext_lazy("Posters and QR codes")
    icon_name = "mobile-alt"
    url_name = "reach_admin:page_posters"

    def is_shown(self, user):
        return not self.page.is_root() and self.page.permissions_for_user(user).can_edit()


urlpatterns = decorate_urlpatterns(
    [
        path("pages/<int:page_id>/posters/", PagePostersView.as_view(), name="page_posters"),
        re_path(
            r"^posters/(?P<poster_id>[0-9]+)/poster\.(?P<file_format>png|pdf)$",
            poster_download,
            name="poster_download",
        ),
        path("posters/<int:poster_id>/deactivate/", poster_deactivate, name="poster_deactivate"),
        path("posters/<int:poster_id>/reactivate/", poster_reactivate, name="poster_reactivate"),
        path("posters/report/", PosterReportView.as_view(), name="poster_report"),
        path(
            "posters/report/results/",
            PosterReportView.as_view(results_only=True),
            name="poster_report_results",
        ),
    ],
    forbidden_as_403,
)


class PosterReportMenuItem(MenuItem):
    def is_shown(self, request):
        return user_has_editable_pages(request.user)
