"""Bulk actions of the entries listing (Wagtail's bulk action framework).

Each action confirms on a page listing the chosen entries by number and title (never the
author), checks its permission per entry, and either changes them or answers with a file.
"Select all" takes the listing's filters (contest, status, group, search), so it means
the entries the organiser sees, not every entry of every contest.
"""

from django import forms
from django.contrib import messages
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from content.reach.posters import PosterFontMissing, font_missing_message

from .. import eligibility
from ..models import Entry
from . import archive, certificates

CHANGE_CONTEST = "submissions.change_contest"
VIEW_FILES = "submissions.view_entryfile"
LISTING_FILTERS = ("contest", "status", "group")


class EntryBulkAction(SnippetBulkAction):
    """Common ground: the entries, their permission, the confirmation page."""

    models = [Entry]
    template_name = "submissions/admin/entry_bulk_action.html"
    permission = CHANGE_CONTEST
    description = ""
    button_text = ""

    @classmethod
    def get_queryset(cls, model, object_ids):
        return list(
            Entry.objects.filter(pk__in=[pk for pk in object_ids if str(pk).isdigit()])
            .select_related("contest", "group")
            .order_by("contest_id", "number", "pk")
        )

    def get_all_objects_in_listing_query(self, parent_id):
        entries = Entry.objects.all()
        for name in LISTING_FILTERS:
            values = [v for v in self.request.GET.getlist(name) if v]
            if values:
                entries = entries.filter(**{f"{name}__in": values})
        if query := self.request.GET.get("q", "").strip():
            entries = entries.filter(title__icontains=query)
        return entries.values_list("pk", flat=True)

    def check_perm(self, entry):
        return self.request.user.has_perm(self.permission)

    def object_context(self, entry):
        return {"item": entry}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "action_title": self.display_name,
            "description": self.description,
            "button_text": self.button_text or self.display_name,
        }

    def entries(self):
        """The chosen entries the user may act on, as a queryset."""
        objects, _no_access = self.get_actionable_objects()
        return Entry.objects.filter(pk__in=[entry.pk for entry in objects])


class IneligibleForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=200,
        help_text=gettext_lazy(
            "For example: the work was copied, or it came after the rules' deadline."
        ),
        error_messages={"required": gettext_lazy("Give the reason, for the record.")},
    )


class MarkIneligibleBulkAction(EntryBulkAction):
    display_name = gettext_lazy("Mark ineligible")
    action_type = "mark_ineligible"
    aria_label = gettext_lazy("Mark ineligible: the selected entries")
    action_priority = 20
    classes = {"serious"}
    form_class = IneligibleForm
    description = gettext_lazy(
        "Ruled-out entries keep their number and files but are no longer judged, voted on or "
        "awarded; judges lose their unscored work on them."
    )

    @classmethod
    def execute_action(cls, objects, **kwargs):
        action = kwargs["self"]
        reason = action.cleaned_form.cleaned_data["reason"]
        return eligibility.mark_ineligible(objects, reason, by=action.request.user), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d entry was ruled out.",
            "%(count)d entries were ruled out.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class RestoreEligibilityBulkAction(EntryBulkAction):
    display_name = gettext_lazy("Make eligible again")
    action_type = "restore_eligibility"
    aria_label = gettext_lazy("Make eligible again: the selected entries")
    action_priority = 40
    description = gettext_lazy(
        "The entries compete again: they can be judged, voted on and awarded."
    )

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return eligibility.restore_eligibility(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d entry competes again.",
            "%(count)d entries compete again.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class DownloadFilesBulkAction(EntryBulkAction):
    display_name = gettext_lazy("Download files (ZIP)")
    action_type = "download_files"
    aria_label = gettext_lazy(
        "Download files (ZIP): the files of the selected entries in one archive"
    )
    action_priority = 22
    permission = VIEW_FILES
    description = gettext_lazy(
        "One ZIP with every file of these entries that passed its checks, named by entry "
        "number (C1-0001.pdf), never by the author; typed-in texts come as .txt files and "
        "videos as their checked MP4."
    )

    def form_valid(self, form):
        entries = self.entries()
        if not entries:
            return redirect(self.next_url)
        first = entries.order_by("contest_id").first()
        response = StreamingHttpResponse(
            archive.stream_zip(entries), content_type="application/zip"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{archive.archive_name(first.contest_id)}"'
        )
        return response


class AwardCertificatesBulkAction(EntryBulkAction):
    display_name = gettext_lazy("Print award certificates (PDF)")
    action_type = "award_certificates"
    aria_label = gettext_lazy(
        "Print award certificates (PDF): every certificate of the selected entries in one file"
    )
    action_priority = 24
    description = gettext_lazy(
        "One PDF with the certificates of the published awards of these entries (the "
        "student's and the advising teacher's), an A4 page each, ready to print."
    )

    def form_valid(self, form):
        chosen = certificates.certificates_of(self.entries())
        if not chosen.exists():
            messages.error(self.request, _("None of these entries has a published award."))
            return redirect(self.next_url)
        try:
            pdf = certificates.certificates_pdf(chosen, self.request)
        except PosterFontMissing:
            messages.error(self.request, font_missing_message())
            return redirect(self.next_url)
        return FileResponse(pdf, as_attachment=True, filename="award-certificates.pdf")


ACTIONS = [
    MarkIneligibleBulkAction,
    RestoreEligibilityBulkAction,
    DownloadFilesBulkAction,
    AwardCertificatesBulkAction,
]
