"""Label sheets for a campaign's copies: request an A4 PDF (drawn in the background) for all
printable copies, one book or a range of copy numbers, then download it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from kepu.downloads import private_file_response

from .. import labels
from ..models import Book, DriftCampaign, LabelLayout, LabelSheet
from .access import COPIES, require


class SheetForm(forms.Form):
    layout = forms.ModelChoiceField(
        queryset=LabelLayout.objects.all(),
        label=gettext_lazy("Label paper"),
        empty_label=None,
    )
    book = forms.ModelChoiceField(
        queryset=Book.objects.none(),
        label=gettext_lazy("Only this book"),
        required=False,
        empty_label=gettext_lazy("All books"),
    )
    first_number = forms.IntegerField(
        label=gettext_lazy("From copy number"), required=False, min_value=1
    )
    last_number = forms.IntegerField(
        label=gettext_lazy("To copy number"), required=False, min_value=1
    )
    skip = forms.IntegerField(
        label=gettext_lazy("Labels already used on the first sheet"),
        required=False,
        min_value=0,
        initial=0,
        help_text=gettext_lazy("Printing starts after them, so a half-used sheet is not wasted."),
    )
    outline = forms.BooleanField(
        label=gettext_lazy("Print cutting lines (for plain A4 paper)"), required=False
    )

    def __init__(self, *args, campaign: DriftCampaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["book"].queryset = Book.objects.filter(copies__campaign=campaign).distinct()
        self.fields["layout"].initial = labels.default_layout().pk

    def clean(self):
        data = super().clean()
        first, last = data.get("first_number"), data.get("last_number")
        if first and last and last < first:
            raise forms.ValidationError(_("The last copy number must not be below the first."))
        layout = data.get("layout")
        if layout is not None:
            labels.check_layout(layout)
            if (data.get("skip") or 0) >= layout.per_page:
                self.add_error(
                    "skip",
                    _("A sheet of this paper has %(count)s labels.") % {"count": layout.per_page},
                )
        return data

    def copies(self):
        copies = labels.printable_copies(self.campaign)
        data = self.cleaned_data
        if data.get("book"):
            copies = copies.filter(book=data["book"])
        if data.get("first_number"):
            copies = copies.filter(number__gte=data["first_number"])
        if data.get("last_number"):
            copies = copies.filter(number__lte=data["last_number"])
        return copies

    def description(self) -> str:
        data = self.cleaned_data
        parts = [data["book"].title if data.get("book") else _("All books")]
        if data.get("first_number") or data.get("last_number"):
            parts.append(
                _("copies %(first)s–%(last)s")
                % {"first": data.get("first_number") or 1, "last": data.get("last_number") or "…"}
            )
        return " · ".join(parts)


class LabelsView(WagtailAdminTemplateMixin, FormView):
    template_name = "bookdrift/admin/labels.html"
    header_icon = "tag"
    page_title = gettext_lazy("Label sheets")
    form_class = SheetForm

    def dispatch(self, request, campaign_id: int):
        require(request.user, COPIES)
        self.campaign = get_object_or_404(DriftCampaign, pk=campaign_id)
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.campaign.title

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "campaign": self.campaign}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            campaign=self.campaign,
            sheets=LabelSheet.objects.filter(campaign=self.campaign).select_related("layout")[:30],
            printable=labels.printable_copies(self.campaign).count(),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            labels.request_sheet(
                self.campaign,
                form.copies(),
                data["layout"],
                by=self.request.user,
                skip=data.get("skip") or 0,
                outline=data.get("outline", False),
                description=form.description(),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The labels are being drawn. Reload this page to download them.")
        )
        return redirect("bookdrift_desk:labels", self.campaign.pk)


def download(request, sheet_id: int):
    """A ready sheet's PDF, for organisers who may manage copies."""
    require(request.user, COPIES)
    sheet = get_object_or_404(LabelSheet, pk=sheet_id, status=LabelSheet.Status.READY)
    return private_file_response(
        request,
        sheet.file,
        content_type="application/pdf",
        filename=f"labels-{sheet.pk}.pdf",
        attachment=True,
    )
