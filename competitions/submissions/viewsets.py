"""Contests and their entries in the Wagtail admin: the 作品征集 menu.

Contests are snippets (choosers for ContestPage, revisions, usage) edited with their
groups and award levels inline. Entries are listed per contest by number, group, title,
status and eligibility; the author is not shown (personal data of minors stays masked), and
organisers get view-only access to entries (see migration 0002_entry_permissions). The
listing's bulk actions (assign to judges, rule out, download files, print certificates) are
in entry_actions/ and competitions/judging/entry_actions.py.

Imported by wagtail_hooks.py.
"""

import django_filters
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kepu.moments import MomentColumn

from .models import Contest, ContestGroup, Entry, EntryKind, Phase


class ContestForm(WagtailAdminModelForm):
    """Entry kinds as checkboxes instead of raw JSON."""

    entry_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("entry kinds allowed"),
        choices=EntryKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class EntriesColumn(Column):
    """A link to the contest's entries listing, with the count of submitted entries."""

    def get_value(self, instance):
        return instance.entries.filter(status=Entry.Status.SUBMITTED).count()

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        url = reverse("wagtailsnippets_submissions_entry:list") + f"?contest={instance.pk}"
        context["value"] = format_html('<a href="{}">{}</a>', url, context["value"])
        return context


class ResultsColumn(Column):
    """A link to the contest's results desk (awards, publishing, exports)."""

    def get_value(self, instance):
        return gettext_lazy("Results and exports")

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        url = reverse("contest_results_admin:contest", args=[instance.pk])
        context["value"] = format_html('<a href="{}">{}</a>', url, context["value"])
        return context


# "Submitted" is also a quiz attempt's status (交卷); an entry is 已提交.
ENTRY_STATUSES = {
    Entry.Status.DRAFT: pgettext_lazy("entry status", "Draft"),
    Entry.Status.SUBMITTED: pgettext_lazy("entry status", "Submitted"),
    Entry.Status.WITHDRAWN: pgettext_lazy("entry status", "Withdrawn"),
}


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, group):
        return f"{group.contest.title} · {group.name}"


class GroupFilter(django_filters.ModelChoiceFilter):
    field_class = GroupChoiceField


class EntryFilterSet(WagtailFilterSet):
    contest = django_filters.ModelChoiceFilter(
        label=gettext_lazy("contest"), queryset=Contest.objects.all()
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("status"), choices=list(ENTRY_STATUSES.items())
    )
    group = GroupFilter(
        label=gettext_lazy("group"), queryset=ContestGroup.objects.select_related("contest")
    )

    class Meta:
        model = Entry
        fields = ["contest", "status", "group"]


def eligibility(entry: Entry) -> str:
    ineligibility = getattr(entry, "ineligibility", None) if entry.pk else None
    if ineligibility is None:
        return ""
    return gettext("Ruled out: %(reason)s") % {"reason": ineligibility.reason}


class ContestViewSet(SnippetViewSet):
    model = Contest
    icon = "clipboard-list"
    menu_label = gettext_lazy("Contests")
    menu_order = 100
    list_display = [
        "title",
        Column("phase", label=gettext_lazy("phase"), accessor=lambda c: Phase(c.phase()).label),
        MomentColumn("submission_closes_at", label=gettext_lazy("entries close")),
        EntriesColumn("entries", label=gettext_lazy("submitted entries")),
        ResultsColumn("results", label=gettext_lazy("results")),
    ]
    search_fields = ["title"]
    search_backend_name = None
    edit_handler = ObjectList(Contest.panels, base_form_class=ContestForm)


class EntryViewSet(SnippetViewSet):
    model = Entry
    icon = "doc-full"
    menu_label = gettext_lazy("Contest entries")
    menu_order = 110
    add_to_admin_menu = False
    list_display = [
        Column("number", label=gettext_lazy("entry number"), accessor="display_number"),
        Column("title", label=gettext_lazy("title")),
        Column("group", label=gettext_lazy("group")),
        Column("status", label=gettext_lazy("status"), accessor=lambda e: ENTRY_STATUSES[e.status]),
        Column("eligibility", label=gettext_lazy("eligibility"), accessor=eligibility),
        Column("contest", label=gettext_lazy("contest")),
    ]
    filterset_class = EntryFilterSet
    search_fields = ["title"]
    search_backend_name = None
    ordering = ["contest", "number", "pk"]
    inspect_view_enabled = True
    # Only what judges may see too: no author, school, teacher or co-authors.
    inspect_view_fields = ["contest", "group", "number", "kind", "title", "description"]
    inspect_view_fields += ["text", "status", "submitted_at"]
    panels = [FieldPanel("title"), FieldPanel("description")]

    def get_queryset(self, request):
        return Entry.objects.select_related("contest", "group", "ineligibility")


class ContestAdminGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Submission contests")
    menu_icon = "clipboard-list"
    menu_order = 270
    items = (ContestViewSet, EntryViewSet)


register_snippet(ContestAdminGroup)
