"""The drift's public pages around the copies: campaigns, books, stations, awards,
finding a copy by its typed code, donating a book, and award certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from competitions.core.certificates.names import choose_name_view
from competitions.core.certificates.verify import verify_view
from content.reach.posters import answers_503_without_font

from .. import awards, catalogue, certificates, codes, dashboard, page_cache, reviews
from ..forms import CodeForm, DonateForm
from ..models import Book, BookCopy, DriftAward, DriftCampaign, JourneyStep, Station
from ..privacy import readers_who_may_be_named
from .lookup import find_copy, not_found_page, visible_to


def _campaign(slug: str, user) -> DriftCampaign:
    campaign = get_object_or_404(DriftCampaign, slug=slug)
    if not campaign.is_public and not user.has_perm("bookdrift.change_driftcampaign"):
        raise Http404
    return campaign


@require_safe
def campaign_index(request):
    """Public drift campaigns, the running ones first."""

    def render_page():
        campaigns = list(DriftCampaign.objects.filter(is_public=True).order_by("-ends_on"))
        return render(request, "bookdrift/campaign_index.html", {"campaigns": campaigns})

    return page_cache.serve_cached(request, "campaigns", [], render_page)


@require_safe
def campaign_page(request, slug: str):
    """A campaign: what it is, its books and stations, how far the copies travelled, and a
    box to type a copy's code when a phone cannot scan."""
    campaign = _campaign(slug, request.user)

    def render_page():
        figures = dashboard.figures(campaign)
        books = (
            Book.objects.filter(
                copies__campaign=campaign, copies__approval=BookCopy.Approval.APPROVED
            )
            .annotate(copies_count=Count("copies", filter=Q(copies__campaign=campaign)))
            .select_related("cover")
            .order_by("title")
        )
        recent_notes = (
            JourneyStep.objects.filter(
                copy__campaign=campaign, text_status=JourneyStep.TextStatus.APPROVED
            )
            .exclude(note="")
            .select_related("copy__book")
            .order_by("-created_at")[:5]
        )
        return render(
            request,
            "bookdrift/campaign.html",
            {
                "campaign": campaign,
                "figures": figures,
                "books": books,
                "notes": recent_notes,
                "code_form": CodeForm(),
                "has_awards": DriftAward.objects.filter(
                    campaign=campaign, published_at__isnull=False
                ).exists(),
                "running": campaign.is_running(),
            },
        )

    return page_cache.serve_cached(
        request, f"campaign:{campaign.pk}", [("campaign", campaign.pk)], render_page
    )


@never_cache
@require_safe
def find(request, slug: str):
    """A typed copy code: its page, or a clear answer (another drift, a near miss)."""
    campaign = _campaign(slug, request.user)
    form = CodeForm(request.GET or None)
    if not form.is_valid():
        return render(
            request, "bookdrift/find.html", {"campaign": campaign, "form": form}, status=400
        )
    code = form.cleaned_data["code"]
    copy = find_copy(code) if codes.is_well_formed(code) else None
    if copy is None or not visible_to(copy, request.user):
        return not_found_page(request, request.GET.get("code", ""))
    if copy.campaign_id != campaign.pk:
        return render(
            request,
            "bookdrift/find.html",
            {"campaign": campaign, "form": form, "other": copy},
            status=404,
        )
    return redirect(copy.path)


@require_safe
def book_page(request, pk: int):
    """A book: its summary, where its copies wait, and reviews shown by the organisers."""
    book = get_object_or_404(Book.objects.select_related("cover"), pk=pk)
    copies = BookCopy.objects.filter(
        book=book, approval=BookCopy.Approval.APPROVED, campaign__is_public=True
    )
    if not copies.exists() and not request.user.has_perm("bookdrift.change_book"):
        raise Http404

    def render_page():
        waiting = (
            copies.filter(state=BookCopy.State.AT_STATION)
            .values("station_id", "station__name")
            .annotate(count=Count("pk"))
            .order_by("station__name")
        )
        return render(
            request,
            "bookdrift/book.html",
            {
                "book": book,
                "copies": copies.count(),
                "reading": copies.filter(
                    state__in=[BookCopy.State.READING, BookCopy.State.PASSED_ON]
                ).count(),
                "waiting": list(waiting),
                "campaigns": DriftCampaign.objects.filter(
                    copies__in=copies.values("pk")
                ).distinct(),
                "reviews": list(reviews.shown_reviews(book)[:30]),
            },
        )

    return page_cache.serve_cached(request, f"book:{book.pk}", [("book", book.pk)], render_page)


@require_safe
def station_page(request, pk: int):
    """A station: the books waiting on its shelf now (titles only, never codes)."""
    station = get_object_or_404(Station.objects.select_related("school"), pk=pk)

    def render_page():
        waiting = (
            Book.objects.filter(
                copies__station=station,
                copies__state=BookCopy.State.AT_STATION,
                copies__campaign__is_public=True,
            )
            .annotate(count=Count("copies"))
            .order_by("title")
        )
        return render(
            request, "bookdrift/station.html", {"station": station, "books": list(waiting)}
        )

    return page_cache.serve_cached(
        request, f"station:{station.pk}", [("station", station.pk)], render_page
    )


@require_safe
def awards_page(request, slug: str):
    """The published awards (最佳漂书, 最佳漂友, 最佳投漂者)."""
    campaign = _campaign(slug, request.user)

    def render_page():
        published = awards.published(campaign)
        people = {
            award.person_id
            for kind_awards in published.values()
            for award in kind_awards
            if award.person_id
        }
        named = readers_who_may_be_named(people)
        sections = [
            {
                "kind": kind,
                "label": DriftAward.Kind(kind).label,
                "awards": [
                    {
                        "rank": award.rank,
                        "award": award,
                        "name": awards.holder_name(award.person)
                        if award.person_id in named
                        else "",
                        "detail": awards.award_detail(award),
                    }
                    for award in published.get(kind, [])
                ],
            }
            for kind in DriftAward.Kind.values
            if published.get(kind)
        ]
        return render(
            request, "bookdrift/awards.html", {"campaign": campaign, "sections": sections}
        )

    return page_cache.serve_cached(
        request, f"awards:{campaign.pk}", [("campaign", campaign.pk)], render_page
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def donate(request, slug: str):
    """投漂: a reader registers their own book; the organisers approve it."""
    campaign = _campaign(slug, request.user)
    form = DonateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = catalogue.donate_copy(campaign, request.user, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("isbn" if error.code and "isbn" in error.code else None, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you! “%(title)s” is registered with the code %(code)s. The "
                    "organisers will check it; you will find their answer on your drift page."
                )
                % {"title": copy.book.title, "code": copy.display_code},
            )
            return redirect("bookdrift:my_books")
    return render(
        request,
        "bookdrift/donate.html",
        {"campaign": campaign, "form": form},
        status=400 if request.method == "POST" else 200,
    )


certificate_verify = verify_view(certificates.lookup)

# The holder chooses the name printed (competitions/core/certificates/names.py).
choose_certificate_name = choose_name_view(
    certificates.find,
    redirect_to=lambda certificate: reverse("bookdrift:my_books") + "#awards-heading",
    cache_keys=certificates.KIND.cache_keys,
)


@never_cache
@login_required
@answers_503_without_font
def certificate_file(request, code: str, file_format: str):
    """The certificate as PNG or PDF, for its holder and for staff who manage awards."""
    certificate = certificates.find(code)
    if certificate is None:
        raise Http404
    user = request.user
    if certificate.award.person_id != user.pk and not user.has_perm("bookdrift.change_driftaward"):
        raise Http404
    content = certificates.KIND.cached_file(certificate, file_format, request)
    response = HttpResponse(
        content, content_type="application/pdf" if file_format == "pdf" else "image/png"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="drift-certificate-{certificate.code}.{file_format}"'
    )
    return response
