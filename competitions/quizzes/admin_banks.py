"""Admin views for moving question banks in and out of spreadsheets.

Per bank: an upload form that imports a .xlsx/.csv file all or nothing (or lists every
problem by row and column), and exports as .xlsx and .csv; for everyone who may add
questions, the blank templates. Uploads are read in memory by our own code, never through
Wagtail's document or image views, and never stored. Users without the permission get a
403 page saying so. Imported by admin.py, which registers the URLs.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, re_path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.utils.urlpatterns import decorate_urlpatterns

from competitions.core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from kepu.admin_views import explained_403

from . import exporting
from .importing import import_questions
from .models import QuestionBank

MAX_ERRORS_SHOWN = 300


def may_import(user) -> bool:
    return user.has_perm("quizzes.add_question")


def may_export(user) -> bool:
    # Exports hold the correct answers: only for people who manage questions.
    return user.has_perm("quizzes.change_question") or user.has_perm("quizzes.add_question")


# Refusals answer 403 with the reason (Wagtail would redirect to the dashboard).
forbidden_as_403 = explained_403(
    gettext_lazy("Only quiz organisers can import and export question banks.")
)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Question file"),
        help_text=gettext_lazy(
            "An Excel workbook (.xlsx) or a CSV file (.csv) in the template's format."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    skip_existing = forms.BooleanField(
        label=gettext_lazy("Skip questions already in the bank"),
        help_text=gettext_lazy(
            "Otherwise a question that is already in the bank is reported as a problem."
        ),
        required=False,
    )


class BankImportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "quizzes/admin/bank_import.html"
    header_icon = "upload"
    page_title = gettext_lazy("Import questions")

    def dispatch(self, request, bank_id: int):
        if not may_import(request.user):
            raise PermissionDenied
        self.bank = get_object_or_404(QuestionBank, pk=bank_id)
        return super().dispatch(request, bank_id)

    def get_page_subtitle(self):
        return self.bank.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailsnippets_quizzes_questionbank:list"),
                "label": _("Question banks"),
            },
            {
                "url": reverse("wagtailsnippets_quizzes_questionbank:edit", args=[self.bank.pk]),
                "label": self.bank.name,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, form=None, result=None, **kwargs):
        context = super().get_context_data(**kwargs)
        errors = result.errors if result else []
        context.update(
            bank=self.bank,
            form=form or ImportForm(),
            errors=errors[:MAX_ERRORS_SHOWN],
            error_count=len(errors),
            errors_truncated=len(errors) > MAX_ERRORS_SHOWN,
            question_count=self.bank.questions.count(),
        )
        return context

    def post(self, request, bank_id: int):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        result = import_questions(
            self.bank, form.cleaned_data["file"], skip_existing=form.cleaned_data["skip_existing"]
        )
        if not result.ok:
            return self.render_to_response(self.get_context_data(form=form, result=result))
        messages.success(request, _summary(result))
        if result.ignored_columns:
            messages.warning(
                request,
                _("These columns were not imported: %(columns)s")
                % {"columns": "、".join(result.ignored_columns)},
            )
        listing = reverse("wagtailsnippets_quizzes_question:list")
        return redirect(f"{listing}?bank={self.bank.pk}")


def _summary(result) -> str:
    parts = [_("%(count)d questions imported.") % {"count": result.created}]
    if result.skipped_existing:
        parts.append(
            _("%(count)d questions were already in the bank and were skipped.")
            % {"count": result.skipped_existing}
        )
    if result.categories_created:
        parts.append(
            _("New categories: %(names)s.") % {"names": "、".join(result.categories_created)}
        )
    return " ".join(parts)


def bank_export(request, bank_id: int, file_format: str):
    """The bank's questions as an .xlsx or .csv attachment, in the import format."""
    if not may_export(request.user):
        raise PermissionDenied
    bank = get_object_or_404(QuestionBank, pk=bank_id)
    render, content_type = {
        "xlsx": (exporting.bank_xlsx, XLSX_CONTENT_TYPE),
        "csv": (exporting.bank_csv, CSV_CONTENT_TYPE),
    }[file_format]
    return _attachment(render(bank), content_type, exporting.filename(bank, file_format))


def template_download(request, file_format: str):
    """The blank import template with one example per question type."""
    if not may_import(request.user):
        raise PermissionDenied
    render, content_type = {
        "xlsx": (exporting.template_xlsx, XLSX_CONTENT_TYPE),
        "csv": (exporting.template_csv, CSV_CONTENT_TYPE),
    }[file_format]
    return _attachment(render(), content_type, f"question-bank-template.{file_format}")


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = decorate_urlpatterns(
    [
        path("banks/<int:bank_id>/import/", BankImportView.as_view(), name="import"),
        re_path(
            r"^banks/(?P<bank_id>[0-9]+)/export\.(?P<file_format>xlsx|csv)$",
            bank_export,
            name="export",
        ),
        re_path(r"^template\.(?P<file_format>xlsx|csv)$", template_download, name="template"),
    ],
    forbidden_as_403,
)
