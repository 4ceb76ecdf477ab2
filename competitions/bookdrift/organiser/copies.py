"""Registering copies in bulk, and one copy's journey with the organisers' actions
(place at a station, report lost, withdraw, its label as PNG)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from content.reach.posters import PosterFontMissing, font_missing_message

from .. import catalogue, journeys, labels, timeline
from ..models import Book, BookCopy, DriftCampaign, JourneyStep, LabelLayout, Station
from .access import COPIES, require


class RegisterForm(forms.Form):
    """Which campaign, how many copies of which books, waiting where."""

    campaign = forms.ModelChoiceField(
        queryset=DriftCampaign.objects.order_by("-starts_on"),
        label=gettext_lazy("Campaign"),
        error_messages={"required": gettext_lazy("Choose the campaign.")},
    )
    station = forms.ModelChoiceField(
        queryset=Station.objects.filter(is_active=True),
        label=gettext_lazy("They wait at"),
        required=False,
        help_text=gettext_lazy("Leave empty if they are handed out first."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.books = list(Book.objects.order_by("title"))
        for book in self.books:
            self.fields[f"book_{book.pk}"] = forms.IntegerField(
                label=book.title,
                required=False,
                min_value=0,
                max_value=catalogue.MAX_COPIES_PER_BOOK,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "w-w-20"}),
                error_messages={
                    "min_value": gettext_lazy("Give a number from 0 to 1000."),
                    "max_value": gettext_lazy("Give a number from 0 to 1000."),
                    "invalid": gettext_lazy("Give a number from 0 to 1000."),
                },
            )

    def book_fields(self):
        return [self[f"book_{book.pk}"] for book in self.books]

    def counts(self) -> dict[int, int]:
        return {
            book.pk: self.cleaned_data.get(f"book_{book.pk}") or 0
            for book in self.books
            if self.cleaned_data.get(f"book_{book.pk}")
        }


class RegisterView(WagtailAdminTemplateMixin, FormView):
    template_name = "bookdrift/admin/register.html"
    header_icon = "tag"
    page_title = gettext_lazy("Register copies")
    form_class = RegisterForm

    def dispatch(self, request, *args, **kwargs):
        require(request.user, COPIES)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        campaign = self.request.GET.get("campaign", "")
        return {"campaign": campaign} if campaign.isdigit() else {}

    def form_valid(self, form):
        campaign = form.cleaned_data["campaign"]
        try:
            registered = catalogue.register_copies(
                campaign, form.counts(), station=form.cleaned_data["station"], by=self.request.user
            )
        except catalogue.CatalogueError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "%(count)s copies registered (numbers %(first)s–%(last)s). Print their labels "
                "on the labels page."
            )
            % {
                "count": registered.copies,
                "first": registered.first_number,
                "last": registered.last_number,
            },
        )
        return redirect("bookdrift_desk:labels", campaign.pk)


class CopyView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "bookdrift/admin/copy.html"
    header_icon = "tag"
    page_title = gettext_lazy("Drift copy")

    def dispatch(self, request, pk: int):
        require(request.user, COPIES)
        self.copy = get_object_or_404(
            BookCopy.objects.select_related("book", "campaign", "station", "donor", "holder"),
            pk=pk,
        )
        return super().dispatch(request)

    def get_page_subtitle(self):
        return f"{self.copy.book.title} · {self.copy.display_code}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        copy = self.copy
        context.update(
            copy=copy,
            steps=copy.steps.select_related("reader", "station", "school", "school_class").order_by(
                "-sequence"
            )[:200],
            stations=copy.campaign.stations.filter(is_active=True),
            layouts=LabelLayout.objects.all(),
            public=timeline.recent(copy, 5),
        )
        return context


@require_POST
def copy_action(request, pk: int):
    """Place the copy at a station, report it lost or withdraw it (a journey step)."""
    require(request.user, COPIES)
    copy = get_object_or_404(BookCopy.objects.select_related("campaign"), pk=pk)
    action = request.POST.get("action")
    station = None
    if action == JourneyStep.Kind.PLACED:
        station = Station.objects.filter(pk=request.POST.get("station") or 0).first()
    if action not in (JourneyStep.Kind.PLACED, JourneyStep.Kind.LOST, JourneyStep.Kind.WITHDRAWN):
        messages.error(request, _("Unknown action."))
        return redirect("bookdrift_desk:copy", copy.pk)
    try:
        journeys.organiser_step(copy, action, by=request.user, station=station)
    except journeys.JourneyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The copy's journey is updated."))
    return redirect("bookdrift_desk:copy", copy.pk)


def copy_label(request, pk: int):
    """One copy's label as a 300 dpi PNG (layout from ?layout=, else the default)."""
    require(request.user, COPIES)
    copy = get_object_or_404(BookCopy.objects.select_related("book"), pk=pk)
    layout_id = request.GET.get("layout", "")
    layout = (
        LabelLayout.objects.filter(pk=layout_id).first() if layout_id.isdigit() else None
    ) or labels.default_layout()
    try:
        content = labels.label_png(copy, layout)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("bookdrift_desk:copy", copy.pk)
    except PosterFontMissing:
        messages.error(request, font_missing_message())
        return redirect("bookdrift_desk:copy", copy.pk)
    response = HttpResponse(content, content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="label-{copy.code}.png"'
    return response
