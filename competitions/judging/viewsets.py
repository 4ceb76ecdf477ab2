"""Wagtail snippets for organisers: rounds, rubrics, panels and judges (评审 menu).

Judges are picked with the judge picker (judge_picker.py): a search among adults who take
no part in the contest, never a select listing every account.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .judge_picker import JudgeChoiceField, JudgePickerField
from .judges import eligible_judges
from .models import Judge, JudgingPanel, JudgingRound, Rubric


class JudgingPanelForm(WagtailAdminModelForm):
    """A panel's judges come from the picker; entrants of the round's contest are refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        round = self.instance.round if self.instance.round_id else None
        self.fields["judges"] = JudgePickerField(
            contest=round.contest if round else None, label=gettext_lazy("judges")
        )

    def clean(self):
        data = super().clean()
        round, judges = data.get("round"), data.get("judges")
        if round and judges:
            allowed = set(eligible_judges(round.contest).filter(pk__in=[j.pk for j in judges]))
            refused = [judge for judge in judges if judge not in allowed]
            if refused:
                self.add_error(
                    "judges",
                    _("Entrants of this contest cannot judge it: %(names)s.")
                    % {"names": "、".join(str(judge) for judge in refused)},
                )
        return data


class JudgeForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"] = JudgeChoiceField(label=gettext_lazy("account"))


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
    edit_handler = ObjectList(JudgingPanel.panels, base_form_class=JudgingPanelForm)

    def get_queryset(self, request):
        return JudgingPanel.objects.select_related("round__contest", "group")


class JudgeViewSet(SnippetViewSet):
    model = Judge
    icon = "user"
    menu_label = gettext_lazy("Judges")
    menu_order = 130
    list_display = ["__str__", Column("school", label=gettext_lazy("school"))]
    edit_handler = ObjectList(Judge.panels, base_form_class=JudgeForm)

    def get_queryset(self, request):
        return Judge.objects.select_related("user", "school")


class JudgingAdminGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Expert judging")
    menu_icon = "tasks"
    menu_order = 280
    items = (JudgingRoundViewSet, RubricViewSet, JudgingPanelViewSet, JudgeViewSet)


register_snippet(JudgingAdminGroup)
