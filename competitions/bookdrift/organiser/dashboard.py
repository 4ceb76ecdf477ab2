"""A campaign's dashboard: where the copies are, readers per copy, schools and classes
reached, reviews, idle copies (漂不动), reminders, the three awards (confirm, publish,
withdraw) and the .xlsx export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.models import User
from competitions.core.spreadsheets import XLSX_CONTENT_TYPE

from .. import awards, dashboard, exports, page_cache, reminders
from ..models import BookCopy, DriftAward, DriftCampaign
from .access import MANAGE, require


class CampaignsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "bookdrift/admin/campaigns.html"
    header_icon = "calendar-alt"
    page_title = gettext_lazy("Drift dashboards")

    def dispatch(self, request, *args, **kwargs):
        require(request.user, MANAGE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaigns"] = DriftCampaign.objects.order_by("-starts_on")[:100]
        return context


class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "bookdrift/admin/dashboard.html"
    header_icon = "calendar-alt"
    page_title = gettext_lazy("Drift dashboard")

    def dispatch(self, request, campaign_id: int):
        require(request.user, MANAGE)
        self.campaign = get_object_or_404(DriftCampaign, pk=campaign_id)
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.campaign.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        context.update(
            campaign=campaign,
            figures=dashboard.figures(campaign),
            idle=dashboard.idle_copies(campaign),
            reminders=dashboard.recent_reminders(campaign),
            overdue=reminders.overdue_copies(campaign).count(),
            rankings=_rankings(campaign),
            now=timezone.now(),
        )
        return context


def _rankings(campaign: DriftCampaign) -> list[dict]:
    result = []
    for kind in DriftAward.Kind.values:
        ranked = awards.ranking(campaign, kind)
        copies = BookCopy.objects.select_related("book").in_bulk(
            [row.copy_id for row in ranked if row.copy_id]
        )
        people = User.objects.in_bulk([row.person_id for row in ranked if row.person_id])
        confirmed = list(DriftAward.objects.filter(campaign=campaign, kind=kind))
        result.append(
            {
                "kind": kind,
                "label": DriftAward.Kind(kind).label,
                "confirmed": confirmed,
                "confirmed_at": confirmed[0].confirmed_at if confirmed else None,
                "published": any(award.published_at for award in confirmed),
                "rows": [
                    {
                        "rank": row.rank,
                        "copy": copies.get(row.copy_id),
                        "person": people.get(row.person_id),
                        "figures": row.figures,
                    }
                    for row in ranked
                ],
            }
        )
    return result


@require_POST
def remind(request, campaign_id: int):
    """Remind every overdue reader now (the same throttle as the daily task)."""
    require(request.user, MANAGE)
    campaign = get_object_or_404(DriftCampaign, pk=campaign_id)
    outcome = reminders.remind_overdue(campaign, by=request.user)
    messages.success(
        request,
        _(
            "%(reminded)s readers reminded; %(soon)s were reminded recently; "
            "%(anonymous)s anonymous readers cannot be reminded."
        )
        % {
            "reminded": len(outcome.reminded),
            "soon": len(outcome.too_soon),
            "anonymous": len(outcome.anonymous),
        },
    )
    return redirect("bookdrift_desk:dashboard", campaign.pk)


@require_POST
def award_action(request, campaign_id: int, kind: str):
    """Confirm the current ranking, publish it, or withdraw it."""
    require(request.user, MANAGE)
    campaign = get_object_or_404(DriftCampaign, pk=campaign_id)
    if kind not in DriftAward.Kind.values:
        messages.error(request, _("There is no such award."))
        return redirect("bookdrift_desk:dashboard", campaign.pk)
    action = request.POST.get("action")
    try:
        if action == "confirm":
            awards.confirm(campaign, kind, by=request.user)
            messages.success(request, _("The award is confirmed. Publish it when you are ready."))
        elif action == "publish":
            count = awards.publish(campaign, kind)
            messages.success(
                request,
                _("%(count)s places are published with their certificates.") % {"count": count},
            )
        elif action == "withdraw":
            awards.withdraw(campaign, kind)
            messages.success(request, _("The award is withdrawn from the public page."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    page_cache.bump(("campaign", campaign.pk))
    return redirect("bookdrift_desk:dashboard", campaign.pk)


def export(request, campaign_id: int):
    """The campaign's .xlsx export (masked personal data; numbers stay numbers)."""
    require(request.user, MANAGE)
    campaign = get_object_or_404(DriftCampaign, pk=campaign_id)
    response = HttpResponse(exports.campaign_workbook(campaign), content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="drift-{campaign.slug}-{stamp}.xlsx"'
    return response
