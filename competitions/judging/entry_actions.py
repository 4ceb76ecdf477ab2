""" "Assign to judges" on the entries listing: the chosen entries go to the chosen judges in a
round of their contest (assignment.assign_to_judges), beside the balanced assignment of the
judging progress page. Registered in wagtail_hooks.py."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from competitions.submissions.entry_actions.actions import EntryBulkAction

from .assignment import AssignmentError, assign_to_judges
from .judge_picker import JudgePickerField
from .models import JudgingRound


class AssignForm(forms.Form):
    round = forms.ModelChoiceField(
        label=gettext_lazy("Judging round"),
        queryset=JudgingRound.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args, contest=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = JudgingRound.objects.filter(contest=contest).order_by(
            "number"
        )
        self.fields["judges"] = JudgePickerField(contest=contest, label=gettext_lazy("Judges"))


class AssignJudgesBulkAction(EntryBulkAction):
    display_name = gettext_lazy("Assign to judges")
    action_type = "assign_judges"
    aria_label = gettext_lazy("Assign to judges: the selected entries")
    action_priority = 10
    permission = "judging.change_judginground"
    form_class = AssignForm
    description = gettext_lazy(
        "Each chosen judge gets each of these entries in the round, blind (number, group and "
        "work only). Only adults who take no part in the contest can be chosen, and a judge "
        "never gets an entry from their own school."
    )

    def contests(self):
        objects, _no_access = self.get_actionable_objects()
        return {entry.contest for entry in objects}

    def get_form_kwargs(self):
        contests = self.contests()
        contest = next(iter(contests)) if len(contests) == 1 else None
        return {**super().get_form_kwargs(), "contest": contest}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if len(self.contests()) > 1:
            context["problem"] = _("Choose entries of one contest: judging rounds are per contest.")
        elif not context["form"].fields["round"].queryset.exists():
            context["problem"] = _("This contest has no judging round yet: add one first.")
        return context

    def form_valid(self, form):
        entries = list(self.entries())
        try:
            created = assign_to_judges(
                form.cleaned_data["round"], entries, form.cleaned_data["judges"]
            )
        except AssignmentError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "%(count)d assignment was created.", "%(count)d assignments were created.", created
            )
            % {"count": created},
        )
        return redirect(self.next_url)
