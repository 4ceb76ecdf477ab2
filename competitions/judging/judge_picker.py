"""The judge picker of the admin: search by name, username, e-mail or phone among eligible
judges (judges.py), instead of a select listing every account, pupils included.

The form field accepts only eligible judges whatever is posted; the widget renders just the
chosen accounts and a search box, and static/js/judge-picker.js asks `search_view` for
matches as the organiser types. Used by judging panels, judge profiles and the entries'
"assign to judges" bulk action.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from competitions.submissions.models import Contest

from .judges import eligible_judges, judge_label, search_judges

MANAGE_PERMISSIONS = ("judging.change_judginground", "judging.change_judgingpanel")


class JudgePickerWidget(forms.SelectMultiple):
    template_name = "judging/admin/judge_picker.html"

    def __init__(self, attrs=None, *, multiple=True, contest_id=None):
        super().__init__(attrs)
        self.allow_multiple_selected = multiple
        self.contest_id = contest_id

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = [pk for pk in self.format_value(value) if pk.isdigit()]
        users = get_user_model().objects.filter(pk__in=chosen).order_by("display_name", "pk")
        context["widget"].update(
            chosen=[{"id": user.pk, "label": judge_label(user)} for user in users],
            multiple=self.allow_multiple_selected,
            contest_id=self.contest_id or "",
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates (templates/judging/admin/), not the form renderer's.
        context = self.get_context(name, value, attrs)
        return mark_safe(render_to_string(self.template_name, context))

    def optgroups(self, name, value, attrs=None):
        return []  # the template lists only the chosen accounts, never the whole table

    def format_value(self, value):
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        return [str(v) for v in value if v not in (None, "")]

    def value_from_datadict(self, data, files, name):
        if self.allow_multiple_selected:
            return super().value_from_datadict(data, files, name)
        return data.get(name)

    @property
    def media(self):
        return forms.Media(js=[static("js/judge-picker.js")])


class JudgePickerField(forms.ModelMultipleChoiceField):
    """Several eligible judges of `contest` (of no contest: eligible anywhere)."""

    default_error_messages = {
        "invalid_choice": _(
            "%(value)s cannot judge: only adults who take no part in the contest can."
        ),
    }

    def __init__(self, *, contest=None, **kwargs):
        kwargs.setdefault("widget", JudgePickerWidget(contest_id=getattr(contest, "pk", None)))
        super().__init__(queryset=eligible_judges(contest), **kwargs)

    def label_from_instance(self, obj):
        return judge_label(obj)


class JudgeChoiceField(forms.ModelChoiceField):
    """One eligible judge (a judge profile's account)."""

    default_error_messages = {
        "invalid_choice": _(
            "This account cannot judge: only adults who take no part in contests can."
        )
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", JudgePickerWidget(multiple=False))
        super().__init__(queryset=eligible_judges(), **kwargs)


@require_GET
def search_view(request):
    """`?q=…&contest=<id>`: {"results": [{"id", "label"}]} of eligible judges (403 for
    those who may not manage judging)."""
    if not any(request.user.has_perm(permission) for permission in MANAGE_PERMISSIONS):
        raise PermissionDenied
    contest_id = request.GET.get("contest", "")
    contest = Contest.objects.filter(pk=contest_id).first() if contest_id.isdigit() else None
    judges = search_judges(request.GET.get("q", "")[:100], contest)
    return JsonResponse({"results": [{"id": u.pk, "label": judge_label(u)} for u in judges]})
