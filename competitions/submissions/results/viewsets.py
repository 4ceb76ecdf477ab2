"""Results in the Wagtail admin, imported by wagtail_hooks.py:

- a contest's results desk: preview the awards the current judging and voting figures give,
  publish them, tell the winners, and request and download .xlsx exports. Only users who may
  change contests (`exports.can_export`) see it (403 otherwise); linked from the contests
  listing;
- the works organisers choose for the exhibition (a snippet), and the export download.
"""

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from competitions.core.exports import downloads
from kepu.forbidden import explained_403

from ..models import Contest, ContestExport, Entry, EntryAward, ExhibitedEntry
from . import exports, notifications
from .awards import compute_awards, results_visible
from .sources import (
    NotReadyToPublish,
    collect_scores,
    collect_votes,
    publish_contest_results,
    publishing_problems,
)

only_organisers = explained_403(
    gettext_lazy("Only people who may edit contests can see a contest's results and exports.")
)


def managed_contest(request, contest_id: int) -> Contest:
    if not exports.can_export(request.user):
        raise PermissionDenied
    return get_object_or_404(Contest, pk=contest_id)


class ContestResultsView(WagtailAdminTemplateMixin, TemplateView):
    """The awards the current figures would give (not saved), what is published, exports."""

    template_name = "submissions/admin/contest_results.html"
    header_icon = "clipboard-list"

    def dispatch(self, request, contest_id: int):
        self.contest = managed_contest(request, contest_id)
        return super().dispatch(request)

    def get_page_title(self):
        return _("Results and exports")

    def get_page_subtitle(self):
        return self.contest.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contest, user = self.contest, self.request.user
        scores, votes = collect_scores(contest), collect_votes(contest)
        computed = compute_awards(contest, scores, votes)
        entries = Entry.objects.in_bulk([item.entry_id for item in computed])
        levels = {level.pk: level for level in contest.award_levels.all()}
        groups = {group.pk: group for group in contest.groups.all()}
        context.update(
            contest=contest,
            scored=len(scores),
            submitted=contest.entries.filter(status=Entry.Status.SUBMITTED).count(),
            valid_votes=sum(votes.values()),
            preview=[
                {
                    "number": entries[item.entry_id].display_number,
                    "group": groups[item.group_id].name,
                    "award": levels[item.level_id].name
                    if item.level_id
                    else EntryAward.Kind.POPULARITY.label,
                    "final_score": item.final_score,
                    "votes": item.votes,
                }
                for item in computed
            ],
            published=EntryAward.objects.filter(contest=contest, published=True).count(),
            results_visible=results_visible(contest),
            problems=publishing_problems(contest),
            notified=notifications.notification_outcome(contest),
            exports=[
                {"export": export, "downloadable": exports.can_download(export, user)}
                for export in ContestExport.objects.filter(contest=contest).select_related(
                    "requested_by"
                )[:20]
            ],
            may_export_personal_data=exports.can_export_personal_data(user),
        )
        return context


@require_POST
def publish(request, contest_id: int):
    """Publishes the awards shown on the results desk (idempotent)."""
    contest = managed_contest(request, contest_id)
    try:
        awards = publish_contest_results(contest)
    except NotReadyToPublish as refusal:
        for problem in refusal.problems:
            messages.error(request, problem)
        return redirect("contest_results_admin:contest", contest.pk)
    messages.success(
        request,
        _("%(count)s awards are published. The public sees them from the results phase on.")
        % {"count": len(awards)},
    )
    return redirect("contest_results_admin:contest", contest.pk)


@require_POST
def notify_winners(request, contest_id: int):
    """Tells the authors of the published awards (once each), after the results are public."""
    contest = managed_contest(request, contest_id)
    if not results_visible(contest):
        messages.error(request, _("Winners can be told once the results are public."))
    else:
        count = notifications.notify_award_winners(contest)
        messages.success(
            request,
            _("%(count)s notifications are on their way (text messages and e-mails).")
            % {"count": count},
        )
    return redirect("contest_results_admin:contest", contest.pk)


@require_POST
def request_export(request, contest_id: int):
    contest = managed_contest(request, contest_id)
    personal_data = request.POST.get("personal_data") == "1"
    exports.request_export(contest, request.user, personal_data=personal_data)
    messages.success(request, _("The export is being prepared. Reload this page to download it."))
    return redirect(reverse("contest_results_admin:contest", args=[contest.pk]) + "#exports")


urlpatterns = [
    path("<int:contest_id>/", only_organisers(ContestResultsView.as_view()), name="contest"),
    path("<int:contest_id>/publish/", only_organisers(publish), name="publish"),
    path("<int:contest_id>/export/", only_organisers(request_export), name="export"),
    path("<int:contest_id>/notify/", only_organisers(notify_winners), name="notify"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("contest-results/", include((urlpatterns, "contest_results_admin"))),
        path(
            "contest-exports/<int:export_id>/download/",
            download_export,
            name="contest_export_download",
        ),
    ]


@hooks.register("register_permissions")
def register_permissions():
    """Settings → Groups offers the personal-data export permission (rule 8)."""
    return Permission.objects.filter(
        content_type__app_label="submissions", codename="export_personal_data"
    )


# --- exhibited entries and export downloads --------------------------------------------------


class ExhibitedEntryViewSet(SnippetViewSet):
    model = ExhibitedEntry
    icon = "image"
    menu_label = gettext_lazy("Exhibited entries")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["entry", "note", "created_at"]
    search_fields = ["note", "entry__title"]
    search_backend_name = None
    panels = [FieldPanel("entry"), FieldPanel("note")]

    def get_queryset(self, request):
        return ExhibitedEntry.objects.select_related("entry")

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        field = form_class.base_fields.get("entry")
        if field is not None:
            field.queryset = Entry.objects.filter(status=Entry.Status.SUBMITTED).order_by(
                "contest_id", "number"
            )
        return form_class


register_snippet(ExhibitedEntryViewSet)


def download_export(request, export_id: int):
    """An export's .xlsx for those who may export contests (403 for others)."""
    return downloads.download(
        request, exports.lifecycle, export_id, filename=exports.download_filename
    )
