"""Quizzes in the Wagtail admin: the 知识竞答 menu with question banks, categories,
questions, quizzes and organising units.

Snippet viewsets rather than plain model viewsets: registering these models as snippets
gives every foreign key to them a searchable chooser (a quiz's fixed questions come from
banks of thousands), revisions history, usage and bulk deletion, with the same Django
model permissions (add/change/delete/view) the 竞赛组织者 group is given. Listings search
with the database's `icontains`, not Wagtail's search backend, because Chinese stems have
no spaces for a full-text tokenizer to split on, and filters combine with it freely.

Imported by wagtail_hooks.py.
"""

from django import forms
from django.db.models import Count
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet, SnippetViewSetGroup
from wagtail.snippets.widgets import AdminSnippetChooser

from competitions.core.models import Unit
from kepu.admin_views import MomentColumn

from . import admin_banks
from .admin_forms import QuestionForm, QuizForm
from .models import Question, QuestionBank, QuestionCategory, Quiz
from .stats_admin import statistics_header_button

# --- question banks -----------------------------------------------------------------------------


def _bank_buttons(user, bank, *, priority: int):
    buttons = []
    if admin_banks.may_import(user):
        buttons.append(
            (_("Import questions"), reverse("quiz_banks_admin:import", args=[bank.pk]), "upload")
        )
    if admin_banks.may_export(user):
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


# --- quizzes and organising units ---------------------------------------------------------------


class QuizEditView(EditView):
    """The quiz's edit view, with a "统计" header button for those who may see statistics."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if button := statistics_header_button(self.object, self.request.user):
            buttons.append(button)
        return buttons


class QuizViewSet(SnippetViewSet):
    model = Quiz
    edit_view_class = QuizEditView
    icon = "tasks"
    menu_label = gettext_lazy("Quizzes")
    menu_order = 90
    list_display = [
        "title",
        Column("bank", label=gettext_lazy("question bank")),
        MomentColumn("opens_at", label=gettext_lazy("opens at"), sort_key="opens_at"),
        MomentColumn("closes_at", label=gettext_lazy("closes at"), sort_key="closes_at"),
    ]
    list_filter = ["bank"]
    search_fields = ["title"]
    search_backend_name = None
    edit_handler = ObjectList(Quiz.panels, base_form_class=QuizForm)

    def get_queryset(self, request):
        return Quiz.objects.select_related("bank")


class UnitViewSet(SnippetViewSet):
    model = Unit
    icon = "group"
    menu_label = gettext_lazy("Organising units")
    menu_order = 200
    list_display = [
        "name",
        Column("kind", label=gettext_lazy("kind"), accessor="get_kind_display", sort_key="kind"),
        Column("parent", label=gettext_lazy("belongs to")),
        BooleanColumn("is_active", label=gettext_lazy("active")),
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    search_backend_name = None
    panels = [
        FieldPanel("kind"),
        FieldPanel("name"),
        FieldPanel("parent"),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
    ]

    def get_queryset(self, request):
        return Unit.objects.select_related("parent")


class QuizAdminGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Quizzes")
    menu_icon = "help"
    menu_order = 260
    items = (
        QuizViewSet,
        QuestionBankViewSet,
        QuestionCategoryViewSet,
        QuestionViewSet,
        UnitViewSet,
    )


register_snippet(QuizAdminGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("quiz-banks/", include((admin_banks.urlpatterns, "quiz_banks_admin")))]
