"""Quizzes in the Wagtail admin: the 知识竞答 menu with question banks, categories,
questions, quizzes and organising units.

Snippet viewsets rather than plain model viewsets: registering these models as snippets
gives every foreign key to them a searchable chooser (a quiz's fixed questions come from
banks of thousands), revisions history, usage and bulk deletion, with the same Django
model permissions (add/change/delete/view) the 竞赛组织者 group is given. Listings search
with the database's `icontains`, not Wagtail's search backend, because Chinese stems have
no spaces for a full-text tokenizer to split on, and filters combine with it freely.

The bank, category and question viewsets live in banks/viewsets.py. Imported by
wagtail_hooks.py.
"""

from django.urls import include, path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from competitions.core.models import Unit
from kepu.moments import MomentColumn

from .banks import viewsets as banks
from .forms import QuizForm
from .models import Quiz
from .statistics.viewsets import statistics_header_button

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
        banks.QuestionBankViewSet,
        banks.QuestionCategoryViewSet,
        banks.QuestionViewSet,
        UnitViewSet,
    )


register_snippet(QuizAdminGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("quiz-banks/", include((banks.urlpatterns, "quiz_banks_admin")))]
