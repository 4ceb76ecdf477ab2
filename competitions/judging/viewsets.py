"""Judging in the Wagtail admin, imported by wagtail_hooks.py:

- snippets for organisers: rounds, rubrics, panels and judges (评审 menu). Judges are picked
  with the judge picker (judge_picker.py): a search among adults who take no part in the
  contest, never a select listing every account;
- a round's progress per judge (Reports → 评审进度), with buttons to assign entries, remind
  judges with unscored work and compute results (advancement). Only users who may change
  judging rounds see these pages (403 otherwise).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kepu.forbidden import explained_403

from . import assignment, judge_picker, reminders
from .advancement import AdvancementError, decide_advancement
from .judge_picker import JudgeChoiceField, JudgePickerField
from .judges import eligible_judges
from .models import EntryResult, Judge, JudgingPanel, JudgingRound, Rubric


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


# --- judging progress (Reports menu) ---------------------------------------------------------

User = get_user_model()


def may_manage(user) -> bool:
    return user.is_active and user.has_perm("judging.change_judginground")


# Refusals answer 403 with the reason (Wagtail would redirect to the dashboard).
forbidden_as_403 = explained_403(
    gettext_lazy("Only people who may edit judging rounds can see this page.")
)


def managed_round(request, round_id: int) -> JudgingRound:
    if not may_manage(request.user):
        raise PermissionDenied
    return get_object_or_404(JudgingRound.objects.select_related("contest"), pk=round_id)


class RoundIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "judging/admin/round_index.html"
    header_icon = "tasks"
    page_title = gettext_lazy("Judging progress")

    def dispatch(self, request, *args, **kwargs):
        if not may_manage(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rounds"] = JudgingRound.objects.select_related("contest").order_by(
            "-opens_at", "-pk"
        )[:100]
        return context


class RoundProgressView(WagtailAdminTemplateMixin, TemplateView):
    """Progress per judge (usernames only) and the results per group; no author data."""

    template_name = "judging/admin/round_progress.html"
    header_icon = "tasks"

    def dispatch(self, request, round_id: int):
        self.round = managed_round(request, round_id)
        return super().dispatch(request)

    def get_page_title(self):
        return str(self.round)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["round"] = self.round
        last = reminders.last_reminders(self.round)
        context["judges"] = [
            {**row, "last_reminded": last.get(row["judge_id"])}
            for row in assignment.progress(self.round)
        ]
        context["reminder_hours"] = reminders.reminder_interval().total_seconds() // 3600
        context["results"] = (
            EntryResult.objects.filter(round=self.round)
            .select_related("entry", "entry__group")
            .order_by("entry__group__sort_order", "rank_in_group", "entry__number")
        )
        return context


@require_POST
def assign(request, round_id: int):
    round = managed_round(request, round_id)
    try:
        created = assignment.assign_entries(round)
    except assignment.AssignmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)s assignments created.") % {"count": created})
    return redirect("judging_admin:round", round.pk)


@require_POST
def remind(request, round_id: int):
    """Reminds every judge with unscored work, or only the judge posted as `judge`; judges
    reminded within the interval are named in the message and get nothing."""
    round = managed_round(request, round_id)
    judge = request.POST.get("judge", "")
    judge_ids = [int(judge)] if judge.isdigit() else None
    outcome = reminders.remind_judges(round, judge_ids=judge_ids, by=request.user)
    if outcome.reminded:
        messages.success(
            request,
            _("Reminders are being sent to %(count)s judges.") % {"count": len(outcome.reminded)},
        )
    if outcome.too_soon:
        names = dict(User.objects.filter(pk__in=outcome.too_soon).values_list("pk", "username"))
        messages.warning(
            request,
            _(
                "Judges are reminded at most once every %(hours)s hours per round; nothing "
                "was sent to: %(judges)s."
            )
            % {
                "hours": int(reminders.reminder_interval().total_seconds() // 3600),
                "judges": "、".join(
                    _("%(name)s (again after %(time)s)")
                    % {
                        "name": names.get(pk, pk),
                        "time": timezone.localtime(moment).strftime("%m-%d %H:%M"),
                    }
                    for pk, moment in sorted(outcome.too_soon.items())
                ),
            },
        )
    if not outcome.reminded and not outcome.too_soon:
        messages.info(request, _("No judge has unscored entries, so nobody was reminded."))
    return redirect("judging_admin:round", round.pk)


@require_POST
def compute_results(request, round_id: int):
    round = managed_round(request, round_id)
    try:
        advanced = decide_advancement(round)
    except AdvancementError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Results computed; %(count)s entries advance.") % {"count": advanced}
        )
    return redirect("judging_admin:round", round.pk)


urlpatterns = [
    path("judge-search/", forbidden_as_403(judge_picker.search_view), name="judge_search"),
    path("", forbidden_as_403(RoundIndexView.as_view()), name="index"),
    path("<int:round_id>/", forbidden_as_403(RoundProgressView.as_view()), name="round"),
    path("<int:round_id>/assign/", forbidden_as_403(assign), name="assign"),
    path("<int:round_id>/remind/", forbidden_as_403(remind), name="remind"),
    path("<int:round_id>/results/", forbidden_as_403(compute_results), name="results"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("judging/", include((urlpatterns, "judging_admin")))]


class JudgingProgressMenuItem(MenuItem):
    def is_shown(self, request):
        return may_manage(request.user)


@hooks.register("register_reports_menu_item")
def register_reports_menu_item():
    return JudgingProgressMenuItem(
        gettext_lazy("Judging progress"), reverse("judging_admin:index"), icon_name="tasks"
    )
