"""Handing an export's file to the organiser: the download view and file-name rules."""

from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from competitions.core.spreadsheets import XLSX_CONTENT_TYPE
from kepu.downloads import private_file_response

from .models import ExportJob
from .services import ExportLifecycle

# Characters Windows (and so Excel and WPS users) cannot have in a file name.
_NOT_IN_FILENAMES = set('\\/:*?"<>|\r\n')


def filename_part(text: str) -> str:
    """`text` (a quiz's or contest's title) fit for a downloaded file's name."""
    return "".join(c for c in text if c not in _NOT_IN_FILENAMES)


def download(
    request, lifecycle: ExportLifecycle, export_id: int, filename: Callable[[ExportJob], str]
) -> HttpResponse:
    """The export's .xlsx as an attachment named `filename(export)`, for those the
    lifecycle's `may_download` allows (PermissionDenied for others, 404 until it is ready)."""
    export = get_object_or_404(
        lifecycle.model.objects.select_related(lifecycle.owner), pk=export_id
    )
    return private_file_response(
        request,
        lifecycle.file_for_download(export, request.user),
        content_type=XLSX_CONTENT_TYPE,
        filename=filename(export),
        attachment=True,
    )
