"""Wagtail admin for organisers: vote monitoring per contest and voiding with a reason, and
the shortlists of entries that take votes (a snippet).

Only users who may change votes (`voting.change_vote`) see these pages (403 otherwise;
anonymous visitors are sent to the admin sign-in). Voiding goes through
services.void_votes, which writes the append-only VoteAuditLog.
"""

import datetime
from functools import wraps

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet
from wagtail.utils.urlpatterns import decorate_urlpatterns

from competitions.submissions.models import Contest

from . import monitoring, services
from .forms import ShortlistForm
from .models import Shortlist, Vote, VoteAuditLog

PERMISSION = "voting.change_vote"


def may_monitor(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(PERMISSION))


def forbidden_as_403(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_monitor(request.user):
            return TemplateResponse(
                request,
                "content/admin/forbidden.html",
                {"message": _("Only people who may manage votes can see vote monitoring.")},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


class VoidFilterForm(forms.Form):
    """What to void on a monitoring desk (votes, share opens): rows of one entry, network
    or day; at least one filter, and always a reason."""

    filters = ("entry_number", "ip_network", "day")
    no_filter_message = gettext_lazy("Choose at least one filter: an entry, a network or a day.")

    entry_number = forms.IntegerField(
        label=gettext_lazy("Entry number"), required=False, min_value=1
    )
    ip_network = forms.CharField(label=gettext_lazy("Network"), required=False, max_length=50)
    day = forms.DateField(label=gettext_lazy("Day (YYYY-MM-DD)"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give a reason for voiding.")},
    )

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in self.filters):
            raise forms.ValidationError(self.no_filter_message)
        return data

    def filtered(self, rows):
        """`rows` (with `entry`, `ip_network` and `day`) narrowed by the chosen filters."""
        data = self.cleaned_data
        if data.get("entry_number"):
            rows = rows.filter(entry__number=data["entry_number"])
        if data.get("ip_network"):
            rows = rows.filter(ip_network=data["ip_network"].strip())
        if data.get("day"):
            rows = rows.filter(day=data["day"])
        return rows

    def criteria(self) -> dict:
        """The filters used, as JSON for the audit log."""
        return {
            name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in self.cleaned_data.items()
            if name != "reason" and value not in (None, "", False)
        }


class VoidForm(VoidFilterForm):
    """Which votes to void: also one vote by id, or only votes from new accounts."""

    filters = ("vote_id", "entry_number", "ip_network", "day")
    no_filter_message = gettext_lazy(
        "Choose at least one filter: a vote, an entry, a network or a day."
    )
    field_order = ["vote_id", "entry_number", "ip_network", "day", "new_accounts_only", "reason"]

    vote_id = forms.IntegerField(label=gettext_lazy("Vote id"), required=False, min_value=1)
    new_accounts_only = forms.BooleanField(
        label=gettext_lazy("Only votes from accounts younger than a day"), required=False
    )

    def votes(self, contest: Contest):
        data = self.cleaned_data
        votes = self.filtered(Vote.objects.filter(contest=contest))
        if data.get("vote_id"):
            votes = votes.filter(pk=data["vote_id"])
        if data.get("new_accounts_only"):
            votes = votes.filter(monitoring.new_account_q())
        return votes


def describe_criteria(criteria: dict) -> str:
    """A voiding's filter as organisers read it: "作品编号：3；网段：203.0.113.0/24"."""
    fields = VoidForm.base_fields
    parts = []
    for name, value in (criteria or {}).items():
        field = fields.get(name)
        label = field.label if field is not None else name
        if value is True:
            parts.append(str(label))
        else:
            parts.append(_("%(label)s: %(value)s") % {"label": label, "value": value})
    return "；".join(parts)


def audit_rows(contest: Contest, limit: int = 50) -> list[dict]:
    """The contest's voidings, newest first, with who did it and what they filtered by."""
    records = VoteAuditLog.objects.filter(contest=contest).select_related("actor")[:limit]
    return [
        {
            "created_at": record.created_at,
            "actor": record.actor.get_username() if record.actor else _("(account deleted)"),
            "votes_affected": record.votes_affected,
            "reason": record.reason,
            "criteria": describe_criteria(record.criteria),
        }
        for record in records
    ]


class MonitoringIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "voting/admin/index.html"
    header_icon = "warning"
    page_title = gettext_lazy("Vote monitoring")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contests"] = Contest.objects.filter(voting_opens_at__isnull=False).order_by(
            "-voting_opens_at"
        )[:100]
        return context


class ContestDeskView(WagtailAdminTemplateMixin, TemplateView):
    """A monitoring desk for the contest in the URL (votes, popularity)."""

    def dispatch(self, request, contest_id: int):
        self.contest = get_object_or_404(Contest, pk=contest_id)
        return super().dispatch(request, contest_id)

    def get_page_subtitle(self):
        return str(self.contest)

    def chosen_row(self, rows):
        """The row of the entry numbered `?entry=`, if any."""
        wanted = self.request.GET.get("entry")
        return next((row for row in rows if str(row.number) == wanted), None)

    @classmethod
    def with_form_errors(cls, request, contest: Contest, form):
        """The desk again, showing `form` with its errors (400)."""
        view = cls()
        view.setup(request, contest_id=contest.pk)
        view.contest = contest
        return view.render_to_response(view.get_context_data(form=form), status=400)


class ContestMonitoringView(ContestDeskView):
    template_name = "voting/admin/contest.html"
    header_icon = "warning"
    page_title = gettext_lazy("Vote monitoring")

    @property
    def header_buttons(self):
        """Put an entry of this contest on its vote shortlist (the form offers only its own)."""
        if not self.request.user.has_perm("voting.add_shortlist"):
            return []
        url = reverse("wagtailsnippets_voting_shortlist:add") + f"?contest={self.contest.pk}"
        return [HeaderButton(_("Add to the vote shortlist"), url=url, icon_name="plus")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = monitoring.entry_figures(self.contest)
        # ?entry=<number>: the networks behind one entry's votes.
        chosen = self.chosen_row(entries)
        context.update(
            contest=self.contest,
            entries=entries,
            chosen_entry=chosen,
            networks=monitoring.top_networks(
                self.contest, entry_id=chosen.entry_id if chosen else None
            ),
            new_account_percent=monitoring.new_account_share(self.contest),
            form=kwargs.get("form") or VoidForm(),
            audit_log=audit_rows(self.contest),
        )
        return context


@require_POST
def void(request, contest_id: int):
    contest = get_object_or_404(Contest, pk=contest_id)
    form = VoidForm(request.POST)
    if not form.is_valid():
        return ContestMonitoringView.with_form_errors(request, contest, form)
    record = services.void_votes(
        form.votes(contest),
        contest=contest,
        actor=request.user,
        reason=form.cleaned_data["reason"],
        criteria=form.criteria(),
    )
    messages.success(request, _("%(count)s votes were voided.") % {"count": record.votes_affected})
    return redirect("vote_monitoring:contest", contest.pk)


urlpatterns = decorate_urlpatterns(
    [
        path("", MonitoringIndexView.as_view(), name="index"),
        path("<int:contest_id>/", ContestMonitoringView.as_view(), name="contest"),
        path("<int:contest_id>/void/", void, name="void"),
    ],
    forbidden_as_403,
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("vote-monitoring/", include((urlpatterns, "vote_monitoring")))]


class MonitoringMenuItem(MenuItem):
    def is_shown(self, request):
        return may_monitor(request.user)


@hooks.register("register_reports_menu_item")
def register_reports_menu_item():
    return MonitoringMenuItem(
        gettext_lazy("Vote monitoring"),
        reverse("vote_monitoring:index"),
        name="vote-monitoring",
        icon_name="warning",
        order=970,
    )


class ShortlistCreateView(CreateView):
    """`?contest=<id>` preselects the contest, so only its entries are offered at once."""

    def get_initial_form_instance(self):
        instance = Shortlist()
        contest_id = self.request.GET.get("contest", "")
        if contest_id.isdigit() and Contest.objects.filter(pk=contest_id).exists():
            instance.contest_id = int(contest_id)
        return instance


class ShortlistViewSet(SnippetViewSet):
    """Organisers choose the entries in the public vote (none chosen: all submitted ones).
    The form offers only the chosen contest's submitted entries (forms.py)."""

    model = Shortlist
    icon = "list-ul"
    menu_label = gettext_lazy("Vote shortlist")
    add_to_admin_menu = False
    list_display = ["entry", "contest", "added_at"]
    list_filter = ["contest"]
    add_view_class = ShortlistCreateView
    edit_handler = ObjectList(
        [FieldPanel("contest"), FieldPanel("entry")], base_form_class=ShortlistForm
    )


register_snippet(ShortlistViewSet)
