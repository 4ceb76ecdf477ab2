"""Popularity in the Wagtail admin: the weights per contest (a snippet) and the monitoring
desk (Reports → 人气监控): the ranking with its parts, share-open and comment monitoring,
voiding share opens and moderating comments with a reason.

The desk is for the people who monitor votes (`voting.change_vote`): the same anti-fraud
work as votes. Imported by wagtail_hooks.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.utils.urlpatterns import decorate_urlpatterns

from competitions.submissions.models import Contest

from ..viewsets import (
    ContestDeskView,
    MonitoringMenuItem,
    VoidFilterForm,
    forbidden_as_403,
)
from . import monitoring, services
from .models import EntryComment, PopularityAuditLog, PopularityRule, ShareOpen


class VoidSharesForm(VoidFilterForm):
    """Which share opens to void: at least one filter, and always a reason."""

    def shares(self, contest: Contest):
        return self.filtered(ShareOpen.objects.filter(contest=contest))


class IndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "popularity/admin/index.html"
    header_icon = "pick"
    page_title = gettext_lazy("Popularity monitoring")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rules"] = PopularityRule.objects.select_related("contest").order_by(
            "-contest__submission_opens_at"
        )
        context["add_rule_url"] = reverse("wagtailsnippets_popularity_popularityrule:add")
        return context


class ContestView(ContestDeskView):
    template_name = "popularity/admin/contest.html"
    header_icon = "pick"
    page_title = gettext_lazy("Popularity monitoring")

    @property
    def header_buttons(self):
        rule = services.rule_for(self.contest)
        if rule is None or not self.request.user.has_perm("popularity.change_popularityrule"):
            return []
        url = reverse("wagtailsnippets_popularity_popularityrule:edit", args=[rule.pk])
        return [HeaderButton(_("Change the weights"), url=url, icon_name="edit")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shares = monitoring.share_figures(self.contest)
        chosen = self.chosen_row(shares)
        context.update(
            contest=self.contest,
            rule=services.rule_for(self.contest),
            ranking=services.ranking(self.contest)[:50],
            shares=shares,
            chosen_entry=chosen,
            networks=monitoring.top_share_networks(
                self.contest, entry_id=chosen.entry_id if chosen else None
            ),
            comments=monitoring.comment_figures(self.contest),
            pending=EntryComment.objects.filter(
                contest=self.contest, status=EntryComment.Status.PENDING
            )
            .select_related("entry")
            .order_by("created_at")[:100],
            form=kwargs.get("form") or VoidSharesForm(),
            audit_log=PopularityAuditLog.objects.filter(contest=self.contest).select_related(
                "actor"
            )[:50],
        )
        return context


@require_POST
def void_shares(request, contest_id: int):
    """Void the share opens the form selects, with its reason (audit log)."""
    contest = get_object_or_404(Contest, pk=contest_id)
    form = VoidSharesForm(request.POST)
    if not form.is_valid():
        return ContestView.with_form_errors(request, contest, form)
    record = services.void_shares(
        form.shares(contest),
        contest=contest,
        actor=request.user,
        reason=form.cleaned_data["reason"],
        criteria=form.criteria(),
    )
    messages.success(request, _("%(count)s share opens were voided.") % {"count": record.affected})
    return redirect("popularity_admin:contest", contest.pk)


@require_POST
def decide_comments(request, contest_id: int):
    """Approve or reject the chosen comments (a rejection needs a reason)."""
    contest = get_object_or_404(Contest, pk=contest_id)
    ids = [int(pk) for pk in request.POST.getlist("comment") if pk.isdigit()]
    approve = request.POST.get("action") == "approve"
    if not ids:
        messages.error(request, _("Choose at least one comment."))
        return redirect("popularity_admin:contest", contest.pk)
    try:
        changed = services.decide_comments(
            EntryComment.objects.filter(pk__in=ids),
            contest=contest,
            approve=approve,
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s comments were updated.") % {"count": changed})
    return redirect(reverse("popularity_admin:contest", args=[contest.pk]) + "#comments")


urlpatterns = decorate_urlpatterns(
    [
        path("", IndexView.as_view(), name="index"),
        path("<int:contest_id>/", ContestView.as_view(), name="contest"),
        path("<int:contest_id>/void/", void_shares, name="void"),
        path("<int:contest_id>/comments/", decide_comments, name="comments"),
    ],
    forbidden_as_403,
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("popularity/", include((urlpatterns, "popularity_admin")))]


@hooks.register("register_reports_menu_item")
def register_reports_menu_item():
    return MonitoringMenuItem(
        gettext_lazy("Popularity monitoring"),
        reverse("popularity_admin:index"),
        name="popularity-monitoring",
        icon_name="pick",
        order=975,
    )


class PopularityRuleViewSet(SnippetViewSet):
    """The weights of a contest's popularity score (one rule per contest)."""

    model = PopularityRule
    icon = "pick"
    menu_label = gettext_lazy("Popularity rules")
    add_to_admin_menu = False
    list_display = ["contest", "vote_weight", "share_weight", "comment_weight"]


register_snippet(PopularityRuleViewSet)
