"""Wagtail snippets for organisers: rounds, rubrics, panels and judges (评审 menu)."""

from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Judge, JudgingPanel, JudgingRound, Rubric


class JudgingRoundViewSet(SnippetViewSet):
    model = JudgingRound
    icon = "tasks"
    menu_label = gettext_lazy("Judging rounds")
    menu_order = 100
    list_display = ["__str__", "opens_at", "closes_at"]
    list_filter = ["contest"]

    def get_queryset(self, request):
        return JudgingRound.objects.select_related("contest")


class RubricViewSet(SnippetViewSet):
    model = Rubric
    icon = "list-ol"
    menu_label = gettext_lazy("Rubrics")
    menu_order = 110
    list_display = ["name", Column("contest", label=gettext_lazy("contest"))]


class JudgingPanelViewSet(SnippetViewSet):
    model = JudgingPanel
    icon = "group"
    menu_label = gettext_lazy("Judging panels")
    menu_order = 120
    list_display = ["__str__", Column("group", label=gettext_lazy("group"))]

    def get_queryset(self, request):
        return JudgingPanel.objects.select_related("round__contest", "group")


class JudgeViewSet(SnippetViewSet):
    model = Judge
    icon = "user"
    menu_label = gettext_lazy("Judges")
    menu_order = 130
    list_display = ["__str__", Column("school", label=gettext_lazy("school"))]

    def get_queryset(self, request):
        return Judge.objects.select_related("user", "school")


class JudgingAdminGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Expert judging")
    menu_icon = "tasks"
    menu_order = 280
    items = (JudgingRoundViewSet, RubricViewSet, JudgingPanelViewSet, JudgeViewSet)


register_snippet(JudgingAdminGroup)
