"""Moderation on the desk: drift notes waiting for approval, donated books, and which
reviews appear on their books' pages."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .. import catalogue, moderation, reviews
from ..journeys import JourneyError
from ..models import BookCopy, BookReview, DriftCampaign, Station
from .access import COPIES, MANAGE, MODERATE, require


def _ids(request) -> list[int]:
    return [int(pk) for pk in request.POST.getlist("item") if pk.isdigit()]


class NotesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "bookdrift/admin/notes.html"
    header_icon = "comment"
    page_title = gettext_lazy("Drift notes to approve")

    def dispatch(self, request, *args, **kwargs):
        require(request.user, MODERATE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        steps = list(moderation.pending_texts()[:200])
        context["steps"] = [(step, moderation.flagged_words(step)) for step in steps]
        return context


@require_POST
def decide_notes(request):
    """Approve or reject the chosen pending notes."""
    require(request.user, MODERATE)
    ids = _ids(request)
    if not ids:
        messages.error(request, _("Choose at least one note."))
        return redirect("bookdrift_desk:notes")
    approve = request.POST.get("action") == "approve"
    changed = moderation.decide(ids, approve=approve, by=request.user)
    if approve:
        messages.success(request, _("%(count)s notes approved.") % {"count": changed})
    else:
        messages.success(request, _("%(count)s notes rejected.") % {"count": changed})
    return redirect("bookdrift_desk:notes")


class DonationsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "bookdrift/admin/donations.html"
    header_icon = "gift"
    page_title = gettext_lazy("Donated books to approve")

    def dispatch(self, request, *args, **kwargs):
        require(request.user, COPIES)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["copies"] = (
            BookCopy.objects.filter(approval=BookCopy.Approval.PENDING)
            .select_related("book", "campaign", "donor")
            .order_by("created_at")[:200]
        )
        context["stations"] = Station.objects.filter(is_active=True)
        return context


@require_POST
def decide_donation(request, pk: int):
    """Approve (optionally placing it at a station) or decline a donated copy."""
    require(request.user, COPIES)
    copy = get_object_or_404(BookCopy, pk=pk)
    approve = request.POST.get("action") == "approve"
    station = Station.objects.filter(pk=request.POST.get("station") or 0).first()
    try:
        catalogue.decide_donation(copy, approve=approve, by=request.user, station=station)
    except JourneyError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The donation is approved.") if approve else _("The donation is declined.")
        )
    return redirect("bookdrift_desk:donations")


class ReviewsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "bookdrift/admin/reviews.html"
    header_icon = "doc-full"
    page_title = gettext_lazy("Reviews on book pages")

    def dispatch(self, request, campaign_id: int):
        require(request.user, MANAGE)
        self.campaign = get_object_or_404(DriftCampaign, pk=campaign_id)
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.campaign.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = BookReview.objects.filter(campaign=self.campaign).select_related(
            "entry", "book", "entry__author"
        )
        displayable = set(
            reviews.public_reviews().filter(campaign=self.campaign).values_list("pk", flat=True)
        )
        context.update(
            campaign=self.campaign,
            rows=[(review, review.shown and review.pk in displayable) for review in rows],
        )
        return context


@require_POST
def show_reviews(request, campaign_id: int):
    """Show the chosen reviews on their books' pages, or take them off."""
    require(request.user, MANAGE)
    campaign = get_object_or_404(DriftCampaign, pk=campaign_id)
    shown = request.POST.get("action") == "show"
    changed = reviews.set_shown(
        BookReview.objects.filter(campaign=campaign, pk__in=_ids(request)), shown, by=request.user
    )
    messages.success(request, _("%(count)s reviews updated.") % {"count": changed})
    return redirect("bookdrift_desk:reviews", campaign.pk)
