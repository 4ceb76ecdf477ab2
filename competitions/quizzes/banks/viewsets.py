"""Question banks in the Wagtail admin: the bank, category and question snippet viewsets,
and the views that move a bank in and out of spreadsheets.

Per bank: an upload form that imports a .xlsx/.csv file all or nothing (or lists every
problem by row and column), and exports as .xlsx and .csv; for everyone who may add
questions, the blank templates. Uploads are read in memory by our own code, never through
Wagtail's document or image views, and never stored. Users without the permission get a
403 page saying so. The viewsets join the 知识竞答 menu group (competitions/quizzes/
viewsets.py), which also registers `urlpatterns` under the admin.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, re_path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet
from wagtail.snippets.widgets import AdminSnippetChooser
from wagtail.utils.urlpatterns import decorate_urlpatterns

from competitions.core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from kepu.forbidden import explained_403

from ..models import Question, QuestionBank, QuestionCategory
from . import exports
from .forms import QuestionForm
from .importing import import_questions

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
        "xlsx": (exports.bank_xlsx, XLSX_CONTENT_TYPE),
        "csv": (exports.bank_csv, CSV_CONTENT_TYPE),
    }[file_format]
    return _attachment(render(bank), content_type, exports.filename(bank, file_format))


def template_download(request, file_format: str):
    """The blank import template with one example per question type."""
    if not may_import(request.user):
        raise PermissionDenied
    render, content_type = {
        "xlsx": (exports.template_xlsx, XLSX_CONTENT_TYPE),
        "csv": (exports.template_csv, CSV_CONTENT_TYPE),
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


# --- question banks -----------------------------------------------------------------------------


def _bank_buttons(user, bank, *, priority: int):
    buttons = []
    if may_import(user):
        buttons.append(
            (_("Import questions"), reverse("quiz_banks_admin:import", args=[bank.pk]), "upload")
        )
    if may_export(user):
        buttons += [
            (
                _("Export as Excel"),
                reverse("quiz_banks_admin:export", args=[bank.pk, "xlsx"]),
                "download",
            ),
            (
                _("Export as CSV"),
                reverse("quiz_banks_admin:export", args=[bank.pk, "csv"]),
                "download",
            ),
        ]
    buttons.append(
        (
            _("Questions"),
            reverse("wagtailsnippets_quizzes_question:list") + f"?bank={bank.pk}",
            "list-ul",
        )
    )
    return [
        (label, url, icon, priority + index) for index, (label, url, icon) in enumerate(buttons)
    ]


class QuestionBankIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(question_count=Count("questions", distinct=True))
            .annotate(category_count=Count("categories", distinct=True))
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for label, url, icon, priority in _bank_buttons(self.request.user, instance, priority=40):
            buttons.append(MenuItem(label, url=url, icon_name=icon, priority=priority))
        return buttons


class QuestionBankEditView(EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        for label, url, icon, priority in _bank_buttons(
            self.request.user, self.object, priority=30
        ):
            buttons.append(Button(label, url=url, icon_name=icon, priority=priority))
        return buttons


class QuestionBankViewSet(SnippetViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Question banks")
    menu_order = 100
    index_view_class = QuestionBankIndexView
    edit_view_class = QuestionBankEditView
    list_display = [
        "name",
        Column("question_count", label=gettext_lazy("questions"), sort_key="question_count"),
        Column("category_count", label=gettext_lazy("categories"), sort_key="category_count"),
        DateColumn("created_at", label=gettext_lazy("created"), sort_key="created_at"),
    ]
    search_fields = ["name", "description"]
    search_backend_name = None


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "tag"
    menu_label = gettext_lazy("Question categories")
    menu_order = 110
    list_display = [
        "name",
        Column("bank", label=gettext_lazy("bank")),
        Column("question_count", label=gettext_lazy("questions"), sort_key="question_count"),
    ]
    list_filter = ["bank"]
    search_fields = ["name"]
    search_backend_name = None
    panels = [FieldPanel("bank", widget=forms.Select), FieldPanel("name")]

    def get_queryset(self, request):
        return (
            QuestionCategory.objects.select_related("bank")
            .annotate(question_count=Count("questions"))
            .order_by("bank__name", "name")
        )


# --- questions ----------------------------------------------------------------------------------


class QuestionChooserFilterForm(BaseFilterForm):
    """Search by words in the stem and narrow to one bank (preset to the quiz's bank)."""

    q = forms.CharField(
        label=gettext_lazy("Search term"),
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Search")}),
        required=False,
    )
    bank = forms.ModelChoiceField(
        queryset=QuestionBank.objects.all(), label=gettext_lazy("bank"), required=False
    )

    def filter(self, objects):
        objects = super().filter(objects).filter(is_active=True)
        if bank := self.cleaned_data.get("bank"):
            objects = objects.filter(bank=bank)
        if query := self.cleaned_data.get("q"):
            objects = objects.filter(stem__icontains=query)
            self.is_searching, self.search_query = True, query
        return objects


class QuestionChooseView(ChooseView):
    filter_form_class = QuestionChooserFilterForm


class QuestionChooseResultsView(ChooseResultsView):
    filter_form_class = QuestionChooserFilterForm


class QuestionChooserWidget(AdminSnippetChooser):
    # In a quiz's form the chooser opens on the quiz's bank.
    linked_fields = {"bank": "#id_bank"}


class QuestionChooserViewSet(SnippetChooserViewSet):
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView
    base_widget_class = QuestionChooserWidget


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = gettext_lazy("Questions")
    menu_order = 120
    chooser_viewset_class = QuestionChooserViewSet
    list_display = [
        "stem",
        Column("kind", label=gettext_lazy("type"), accessor="get_kind_display", sort_key="kind"),
        Column(
            "difficulty",
            label=gettext_lazy("difficulty"),
            accessor="get_difficulty_display",
            sort_key="difficulty",
        ),
        Column("category", label=gettext_lazy("category"), accessor="category.name"),
        Column("bank", label=gettext_lazy("bank")),
        BooleanColumn("is_active", label=gettext_lazy("in use")),
    ]
    list_filter = ["bank", "category", "difficulty", "kind", "is_active"]
    list_per_page = 50
    search_fields = ["stem"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("bank", widget=forms.Select),
            FieldRowPanel(
                [
                    FieldPanel("category", widget=forms.Select),
                    FieldPanel("difficulty"),
                    FieldPanel("kind"),
                ]
            ),
            *Question.panels[2:],
        ],
        base_form_class=QuestionForm,
    )

    def get_queryset(self, request):
        return Question.objects.select_related("bank", "category")
