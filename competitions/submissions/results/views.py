"""Public results (获奖名单), the online exhibition (线上作品展) and award certificates.

Nothing is shown before the contest's results phase (404, so the existence of results is
not revealed early). A work, its title and school appear only when the entry is publicly
displayable (display.py: the author's agreement and, under 14, the guardian's display
consent); otherwise only the entry number and award. Names are never shown; certificates
(private to the author) print the masked name.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from competitions.core.certificates.names import choose_name_view
from competitions.core.certificates.verify import VerifiedCertificate, verify_view
from content.reach.posters import answers_503_without_font

from ..files.links import public_file_url
from ..files.variants import POSTER, VIDEO
from ..models import AwardCertificate, Contest, Entry, EntryAward, EntryKind
from ..models.awards import normalise_award_code
from . import certificates
from .awards import exhibited_entries, published_awards, results_visible, unit_ranking


def _visible_contest(contest_id: int) -> Contest:
    contest = get_object_or_404(Contest, pk=contest_id)
    if not results_visible(contest):
        raise Http404
    return contest


def _contest_page(contest: Contest):
    return contest.pages.live().public().first()


@require_safe
def results(request, contest_id: int):
    """Awards by group and the ranking of organising units."""
    contest = _visible_contest(contest_id)
    awards = list(published_awards(contest))
    shown = set(
        Entry.objects.filter(pk__in=[award.entry_id for award in awards])
        .publicly_displayable()
        .values_list("pk", flat=True)
    )
    groups = []
    for group in contest.groups.all():
        in_group = [award for award in awards if award.group_id == group.pk]
        if in_group:
            groups.append({"group": group, "awards": in_group})
    return render(
        request,
        "submissions/results/results.html",
        {
            "contest": contest,
            "contest_page": _contest_page(contest),
            "groups": groups,
            "shown_entry_ids": shown,
            "units": unit_ranking(contest)[:20],
        },
    )


def _filter_value(request, name: str) -> str:
    return (request.GET.get(name) or "").strip()[:20]


@require_safe
def exhibition(request, contest_id: int):
    """The gallery: awarded and organiser-chosen works, filterable by group and award."""
    contest = _visible_contest(contest_id)
    groups = list(contest.groups.all())
    levels = list(contest.award_levels.all())
    group = _filter_value(request, "group")
    award = _filter_value(request, "award")
    valid_groups = {str(g.pk) for g in groups}
    valid_awards = {str(level.pk) for level in levels} | {"popularity", "chosen"}
    message = ""
    if (group and group not in valid_groups) or (award and award not in valid_awards):
        message = _("That filter does not exist; showing all works.")
        group = award = ""
    entries = list(exhibited_entries(contest, group_id=group or None, award=award or None))
    award_names = _award_names(entries)
    return render(
        request,
        "submissions/results/exhibition.html",
        {
            "contest": contest,
            "contest_page": _contest_page(contest),
            "works": [(entry, award_names.get(entry.pk, [])) for entry in entries],
            "groups": groups,
            "levels": levels,
            "selected_group": group,
            "selected_award": award,
            "message": message,
        },
    )


def _award_names(entries) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    awards = EntryAward.objects.filter(
        entry__in=[entry.pk for entry in entries], published=True
    ).select_related("level")
    for award in awards.order_by("kind", "rank"):
        names.setdefault(award.entry_id, []).append(award.name)
    return names


@require_safe
def work(request, contest_id: int, number: int):
    """One exhibited work's shareable page."""
    contest = _visible_contest(contest_id)
    entry = exhibited_entries(contest).filter(number=number).first()
    if entry is None:
        raise Http404
    return render(
        request,
        "submissions/results/work.html",
        {
            "contest": contest,
            "contest_page": _contest_page(contest),
            "entry": entry,
            "media": _public_media(entry),
            "award_names": _award_names([entry]).get(entry.pk, []),
        },
    )


def _public_media(entry: Entry) -> list[dict]:
    """The images and ready videos of a displayable entry, with their public file links
    (the file view checks the display rule again on every request)."""
    media = []
    for entry_file in entry.files.accepted().select_related("video").order_by("sort_order", "pk"):
        if entry_file.kind == EntryKind.IMAGE:
            media.append({"kind": "image", "src": public_file_url(entry_file)})
        elif entry_file.video is not None and entry_file.video.is_ready:
            media.append(
                {
                    "kind": "video",
                    "src": public_file_url(entry_file, VIDEO),
                    "poster": public_file_url(entry_file, POSTER),
                    "width": entry_file.video.width,
                    "height": entry_file.video.height,
                }
            )
    return media


def _find_certificate(code: str) -> AwardCertificate | None:
    certificate = (
        AwardCertificate.objects.select_related("award__contest", "award__entry")
        .filter(code=normalise_award_code(code))
        .first()
    )
    if certificate is None or not results_visible(certificate.award.contest):
        return None
    return certificate


def verified_certificate(code: str) -> VerifiedCertificate | None:
    """What the public verification page shows of an award certificate (only once the
    contest's results are public): contest, award, work, holder and school as printed."""
    certificate = _find_certificate(code)
    if certificate is None:
        return None
    facts = [
        (_("Contest"), certificate.contest_title),
        (_("Award"), certificate.award_name),
        (_("Work"), f"{certificate.entry_number} {certificate.entry_title}"),
        (_("Holder"), certificate.get_holder_display()),
    ]
    if certificate.school_name:
        facts.append((_("School"), certificate.school_name))
    return VerifiedCertificate(
        display_code=certificate.display_code, issued_at=certificate.issued_at, facts=facts
    )


# Public: whether an award certificate with this code exists, and what it certifies.
certificate_verify = verify_view(verified_certificate)

# The student chooses the name printed (competitions/core/certificates/names.py).
choose_certificate_name = choose_name_view(
    _find_certificate,
    redirect_to=lambda certificate: reverse("contests:my_entries"),
    cache_keys=certificates.KIND.cache_keys,
)


@never_cache
@login_required
@require_safe
@answers_503_without_font
def certificate_download(request, code: str, file_format: str):
    """The certificate as PNG or PDF, for the entry's author and for staff."""
    certificate = _find_certificate(code)
    if certificate is None:
        raise Http404
    if certificate.award.entry.author_id != request.user.pk and not request.user.is_staff:
        raise PermissionDenied
    content = certificates.KIND.cached_file(certificate, file_format, request)
    content_type = {"png": "image/png", "pdf": "application/pdf"}[file_format]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="award-certificate-{certificate.code}.{file_format}"'
    )
    return response
