"""Aggregated expert scores per entry: mean, trimmed mean, per-judge z-score normalised
mean, disagreement flag and rank within the group. Advancement is in advancement.py."""

import statistics
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from .eligibility import eligible_entries
from .models import EntryResult, JudgingRound, Score

TWO_PLACES = Decimal("0.01")
SCALE_MAX = 100.0


def _q(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def trimmed_mean(values: list[float]) -> float:
    """The mean without the highest and the lowest value when there are at least four."""
    ordered = sorted(values)
    if len(ordered) >= 4:
        ordered = ordered[1:-1]
    return statistics.fmean(ordered)


def normalised_totals(rows: list[tuple[int, int, float]]) -> dict[tuple[int, int], float]:
    """Per (entry, judge): the total mapped through the judge's z-score back to the scale.

    z = (x − judge's mean) / judge's population stdev over all their submitted totals in
    the round; normalised = round mean + z × round stdev (all submitted totals), clipped to
    0..100. A judge whose totals are all equal (stdev 0) gets z = 0.
    """
    if not rows:
        return {}
    totals = [total for _e, _j, total in rows]
    overall_mean = statistics.fmean(totals)
    overall_sd = statistics.pstdev(totals)
    by_judge: dict[int, list[float]] = {}
    for _entry, judge, total in rows:
        by_judge.setdefault(judge, []).append(total)
    moments = {
        judge: (statistics.fmean(values), statistics.pstdev(values))
        for judge, values in by_judge.items()
    }
    result = {}
    for entry, judge, total in rows:
        mean, sd = moments[judge]
        z = (total - mean) / sd if sd else 0.0
        result[(entry, judge)] = min(SCALE_MAX, max(0.0, overall_mean + z * overall_sd))
    return result


def rank(values: list[tuple[int, Decimal | None]]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) of (id, value), highest first; None is not ranked."""
    ordered = sorted((v for v in values if v[1] is not None), key=lambda v: -v[1])
    ranks: dict[int, int] = {}
    for position, (key, value) in enumerate(ordered, start=1):
        if position > 1 and value == ordered[position - 2][1]:
            ranks[key] = ranks[ordered[position - 2][0]]
        else:
            ranks[key] = position
    return ranks


@transaction.atomic
def aggregate_round(round: JudgingRound) -> list[EntryResult]:
    """Recomputes EntryResult for every eligible entry of `round` from submitted scores only.

    Idempotent; keeps `advanced` as it was (decide_advancement sets it). An entry is
    flagged when max − min of its totals exceeds `round.disagreement_percent` % of 100.
    Ranks use `round.basis` within each group; entries without scores are not ranked.
    """
    rows = [
        (entry_id, judge_id, float(total))
        for entry_id, judge_id, total in Score.objects.filter(
            assignment__round=round, status=Score.Status.SUBMITTED
        ).values_list("assignment__entry_id", "assignment__judge_id", "total")
    ]
    normalised = normalised_totals(rows)
    per_entry: dict[int, list[tuple[int, float]]] = {}
    for entry_id, judge_id, total in rows:
        per_entry.setdefault(entry_id, []).append((judge_id, total))

    limit = SCALE_MAX * round.disagreement_percent / 100
    results = []
    for entry in eligible_entries(round):
        scored = per_entry.get(entry.pk, [])
        totals = [total for _j, total in scored]
        values = {
            "score_count": len(totals),
            "mean": _q(statistics.fmean(totals)) if totals else None,
            "trimmed_mean": _q(trimmed_mean(totals)) if totals else None,
            "normalised_mean": _q(statistics.fmean(normalised[(entry.pk, j)] for j, _t in scored))
            if totals
            else None,
            "spread": _q(max(totals) - min(totals)) if totals else None,
            "flagged_disagreement": bool(totals) and max(totals) - min(totals) > limit,
        }
        result, _created = EntryResult.objects.update_or_create(
            round=round, entry=entry, defaults=values
        )
        result.group_id = entry.group_id
        results.append(result)
    EntryResult.objects.filter(round=round).exclude(
        entry_id__in=[r.entry_id for r in results]
    ).delete()

    field = {
        JudgingRound.Basis.MEAN: "mean",
        JudgingRound.Basis.TRIMMED: "trimmed_mean",
        JudgingRound.Basis.NORMALISED: "normalised_mean",
    }[round.basis]
    by_group: dict[int, list[EntryResult]] = {}
    for result in results:
        by_group.setdefault(result.group_id, []).append(result)
    for group_results in by_group.values():
        ranks = rank([(r.pk, getattr(r, field)) for r in group_results])
        for result in group_results:
            result.rank_in_group = ranks.get(result.pk)
    EntryResult.objects.bulk_update(results, ["rank_in_group"])
    return results


def basis_value(round: JudgingRound, result: EntryResult) -> Decimal | None:
    return {
        JudgingRound.Basis.MEAN: result.mean,
        JudgingRound.Basis.TRIMMED: result.trimmed_mean,
        JudgingRound.Basis.NORMALISED: result.normalised_mean,
    }[round.basis]
