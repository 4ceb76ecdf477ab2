"""Awards (获奖) from final expert scores and public votes, and publishing the results.

Input interface (the lead wires it to judging and voting):

- ``scores``: ``{entry_id: final expert score}`` on a 0–100 scale, one value per entry that
  reached the final round. Entries without a score win no level award.
- ``votes``: ``{entry_id: valid votes}`` (voided votes already removed); missing means 0.

Decisions:

- Entries compete within their group (组别). Only submitted entries count, and none an
  organiser ruled out (eligibility.py).
- Final score = expert_weight % × expert score + (100 − expert_weight) % × popularity, where
  popularity is the entry's votes as a share of the group's most-voted entry, scaled to
  0–100 (0 for everyone when nobody in the group has a vote).
- Ranking in a group: final score, then expert score, then votes (all descending), then the
  entry number ascending, so equal results are ordered the same way every time.
- Award levels are given in their order: a level with a count takes that many entries, a
  level with a percentage takes ⌊percent × group size / 100⌋ entries (the group size being
  the scored entries of the group), until the group's ranked entries run out.
- With ``Contest.popularity_award`` each group's most-voted entry (at least one vote) also
  gets the separate 人气奖; ties go to the higher final score, then the lower entry number.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation

from accounts.masking import mask_name

from ..eligibility import competing
from ..models import AwardCertificate, Contest, Entry, EntryAward, Phase
from ..models.awards import generate_award_code

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ComputedAward:
    entry_id: int
    group_id: int
    kind: str
    level_id: int | None
    rank: int
    final_score: Decimal
    votes: int


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def final_scores(contest: Contest, scores: dict, votes: dict) -> dict[int, Decimal]:
    """{entry_id: final score} for the scored, submitted entries of `contest`."""
    entries = list(
        competing(Entry.objects.filter(contest=contest, pk__in=list(scores))).values_list(
            "pk", "group_id"
        )
    )
    most_votes: dict[int, int] = {}
    for entry_id, group_id in entries:
        most_votes[group_id] = max(most_votes.get(group_id, 0), int(votes.get(entry_id, 0)))
    weight = Decimal(contest.expert_weight) / 100
    result = {}
    for entry_id, group_id in entries:
        expert = Decimal(str(scores[entry_id]))
        top = most_votes[group_id]
        popularity = Decimal(int(votes.get(entry_id, 0)) * 100) / top if top else Decimal(0)
        result[entry_id] = _decimal(weight * expert + (1 - weight) * popularity)
    return result


def compute_awards(contest: Contest, scores: dict, votes: dict) -> list[ComputedAward]:
    """The awards `contest` gives for these scores and votes (see the module docstring).

    Pure apart from reading the contest's entries, groups and award levels: the same input
    always gives the same list, in group order, level awards before the popularity award.
    """
    scores = {int(key): value for key, value in scores.items()}
    votes = {int(key): int(value) for key, value in votes.items()}
    finals = final_scores(contest, scores, votes)
    levels = list(contest.award_levels.order_by("sort_order", "pk"))
    entries = list(
        competing(Entry.objects.filter(contest=contest)).values("pk", "group_id", "number")
    )
    awards: list[ComputedAward] = []
    for group in contest.groups.order_by("sort_order", "pk"):
        in_group = [entry for entry in entries if entry["group_id"] == group.pk]
        ranked = sorted(
            (entry for entry in in_group if entry["pk"] in finals),
            key=lambda e: (
                -finals[e["pk"]],
                -Decimal(str(scores[e["pk"]])),
                -votes.get(e["pk"], 0),
                e["number"] or 0,
                e["pk"],
            ),
        )
        position = 0
        for level in levels:
            quota = level.count if level.count is not None else level.percent * len(ranked) // 100
            for entry in ranked[position : position + quota]:
                position += 1
                awards.append(
                    ComputedAward(
                        entry["pk"],
                        group.pk,
                        EntryAward.Kind.EXPERT,
                        level.pk,
                        position,
                        finals[entry["pk"]],
                        votes.get(entry["pk"], 0),
                    )
                )
        if contest.popularity_award:
            voted = [entry for entry in in_group if votes.get(entry["pk"], 0) > 0]
            if voted:
                top = min(
                    voted,
                    key=lambda e: (
                        -votes[e["pk"]],
                        -finals.get(e["pk"], Decimal(0)),
                        e["number"] or 0,
                        e["pk"],
                    ),
                )
                awards.append(
                    ComputedAward(
                        top["pk"],
                        group.pk,
                        EntryAward.Kind.POPULARITY,
                        None,
                        1,
                        finals.get(top["pk"], Decimal(0)),
                        votes[top["pk"]],
                    )
                )
    return awards


def publish_results(contest: Contest, scores: dict, votes: dict) -> list[EntryAward]:
    """Computes and publishes `contest`'s awards and their certificates, in one transaction.

    Guarantees: idempotent (the same input leaves the same rows, certificates keep their
    codes); a changed input replaces the awards (awards no longer earned are deleted with
    their certificates); concurrent calls for one contest are serialised by a row lock.
    Whether the public sees the results still depends on the contest's phase
    (`results_visible`).
    """
    computed = compute_awards(contest, scores, votes)
    now = timezone.now()
    # Certificates snapshot award names such as 人气奖 in the site's language.
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        Contest.objects.select_for_update().get(pk=contest.pk)
        keep = []
        for item in computed:
            award, _created = EntryAward.objects.update_or_create(
                entry_id=item.entry_id,
                kind=item.kind,
                defaults={
                    "contest": contest,
                    "group_id": item.group_id,
                    "level_id": item.level_id,
                    "rank": item.rank,
                    "final_score": item.final_score,
                    "votes": item.votes,
                    "published": True,
                },
            )
            if award.published_at is None:
                award.published_at = now
                award.save(update_fields=["published_at"])
            keep.append(award.pk)
            _issue_certificates(award, now)
        EntryAward.objects.filter(contest=contest).exclude(pk__in=keep).delete()
    return list(EntryAward.objects.filter(pk__in=keep).select_related("entry", "level", "group"))


def _issue_certificates(award: EntryAward, now) -> None:
    entry = Entry.objects.select_related("author", "school", "contest").get(pk=award.entry_id)
    holders = {AwardCertificate.Holder.STUDENT: student_name(entry)}
    if entry.teacher.strip():
        holders[AwardCertificate.Holder.TEACHER] = entry.teacher.strip()
    snapshot = {
        "contest_title": entry.contest.title,
        "award_name": award.name,
        "entry_title": entry.title,
        "entry_number": entry.display_number,
        "school_name": entry.school.name if entry.school_id else "",
    }
    for holder, name in holders.items():
        certificate = AwardCertificate.objects.filter(award=award, holder=holder).first()
        values = {**snapshot, "holder_name": name}
        if certificate is None:
            AwardCertificate.objects.create(
                award=award, holder=holder, code=generate_award_code(), issued_at=now, **values
            )
        elif any(getattr(certificate, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(certificate, field, value)
            certificate.issued_at = now
            certificate.save()
    AwardCertificate.objects.filter(award=award).exclude(holder__in=list(holders)).delete()


def student_name(entry: Entry) -> str:
    """The student's name as printed: masked (names never appear publicly, display.py)."""
    name = getattr(entry.author, "display_name", "") or ""
    return mask_name(name) if name.strip() else entry.display_number


# --- what the public sees -----------------------------------------------------------------


def results_visible(contest: Contest, now=None) -> bool:
    """Results, certificates and the exhibition are public from the results phase on."""
    return contest.phase(now) in (Phase.RESULTS, Phase.EXHIBITION)


def visible_certificates(user):
    """The award certificates of `user`'s submitted entries whose contest shows its results
    (students' and their teachers'), newest first; a list."""
    certificates = (
        AwardCertificate.objects.filter(
            award__entry__author=user, award__entry__status=Entry.Status.SUBMITTED
        )
        .select_related("award__contest", "award__entry__author")
        .order_by("-issued_at", "holder")
    )
    visible = {}
    return [
        certificate
        for certificate in certificates
        if visible.setdefault(
            certificate.award.contest_id, results_visible(certificate.award.contest)
        )
    ]


def published_awards(contest: Contest):
    return (
        EntryAward.objects.filter(contest=contest, published=True)
        .select_related("entry", "entry__school", "level", "group")
        .order_by("group__sort_order", "group_id", "kind", "rank")
    )


@dataclass(frozen=True)
class UnitRow:
    unit_id: int
    name: str
    entries: int
    awards: int
    first_prizes: int


def unit_ranking(contest: Contest) -> list[UnitRow]:
    """Organising units (schools) by published level awards, first-level awards, then
    submitted entries (all descending), then name: the basis of 优秀组织单位."""
    first_level = contest.award_levels.order_by("sort_order", "pk").first()
    rows = (
        Entry.objects.filter(contest=contest, status=Entry.Status.SUBMITTED, school__isnull=False)
        .values("school_id", "school__name")
        .annotate(
            entry_count=Count("pk", distinct=True),
            award_count=Count(
                "awards",
                filter=Q(awards__published=True, awards__kind=EntryAward.Kind.EXPERT),
                distinct=True,
            ),
            first_count=Count(
                "awards",
                filter=Q(awards__published=True, awards__level=first_level),
                distinct=True,
            ),
        )
    )
    result = [
        UnitRow(
            row["school_id"],
            row["school__name"],
            row["entry_count"],
            row["award_count"],
            row["first_count"] if first_level else 0,
        )
        for row in rows
    ]
    result.sort(key=lambda r: (-r.awards, -r.first_prizes, -r.entries, r.name))
    return result


def exhibited_entries(contest: Contest, group_id=None, award=None):
    """Publicly displayable entries (display.py: the author's and, under 14, the guardian's
    agreement), with a published award or chosen by the
    organiser, filtered by group and award (a level id, "popularity" or "chosen"), by group
    then entry number."""
    entries = (
        Entry.objects.filter(contest=contest)
        .publicly_displayable()
        .filter(Q(awards__published=True) | Q(exhibited__isnull=False))
    )
    if group_id:
        entries = entries.filter(group_id=group_id)
    if award == "popularity":
        entries = entries.filter(awards__published=True, awards__kind=EntryAward.Kind.POPULARITY)
    elif award == "chosen":
        entries = entries.filter(exhibited__isnull=False)
    elif award:
        entries = entries.filter(awards__published=True, awards__level_id=award)
    return (
        entries.distinct().select_related("group", "school").order_by("group__sort_order", "number")
    )
