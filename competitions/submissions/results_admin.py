"""Results administration in Wagtail: organiser-chosen exhibition works, export downloads.

Publishing awards (`awards.publish_results`) and requesting exports
(`contest_exports.request_export`) need the judging and voting results; their admin
buttons are wired where those apps meet.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from competitions.core.spreadsheets import XLSX_CONTENT_TYPE
from kepu.downloads import private_file_response

from . import contest_exports
from .models import ContestExport, Entry, ExhibitedEntry


class ExhibitedEntryViewSet(SnippetViewSet):
    model = ExhibitedEntry
    icon = "image"
    menu_label = gettext_lazy("Exhibited entries")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["entry", "note", "created_at"]
    search_fields = ["note", "entry__title"]
    search_backend_name = None
    panels = [FieldPanel("entry"), FieldPanel("note")]

    def get_queryset(self, request):
        return ExhibitedEntry.objects.select_related("entry")

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        field = form_class.base_fields.get("entry")
        if field is not None:
            field.queryset = Entry.objects.filter(status=Entry.Status.SUBMITTED).order_by(
                "contest_id", "number"
            )
        return form_class


register_snippet(ExhibitedEntryViewSet)


def download_export(request, export_id: int):
    """An export's .xlsx for those who may export contests (403 for others)."""
    export = get_object_or_404(ContestExport.objects.select_related("contest"), pk=export_id)
    return private_file_response(
        request,
        contest_exports.file_for_download(export, request.user),
        content_type=XLSX_CONTENT_TYPE,
        filename=f"contest-{export.contest_id}-{export.created_at:%Y%m%d}.xlsx",
        attachment=True,
    )


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "contest-exports/<int:export_id>/download/",
            download_export,
            name="contest_export_download",
        )
    ]
