"""The final expert score of each entry, for publishing a contest's results."""

from competitions.submissions.result_sources import register_scores

from .aggregation import basis_value
from .models import EntryResult, JudgingRound


@register_scores
def final_expert_scores(contest) -> dict[int, float]:
    """Scores of the contest's last round that has results, by that round's basis."""
    last = (
        JudgingRound.objects.filter(contest=contest, results__isnull=False)
        .order_by("-number")
        .first()
    )
    if last is None:
        return {}
    scores = {}
    for result in EntryResult.objects.filter(round=last):
        value = basis_value(last, result)
        if value is not None:
            scores[result.entry_id] = float(value)
    return scores
