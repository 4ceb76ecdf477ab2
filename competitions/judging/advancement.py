"""Who advances from a round to the next (终评): the top N of each group or a threshold."""

from django.db import transaction
from django.utils.translation import gettext as _

from .aggregation import aggregate_round, basis_value
from .models import EntryResult, JudgingRound


class AdvancementError(Exception):
    """The round's rule is incomplete; nothing was changed."""


@transaction.atomic
def decide_advancement(round: JudgingRound) -> int:
    """Re-aggregates `round`, then marks EntryResult.advanced by the round's rule and returns
    how many advanced. Top N: rank in group ≤ N (ties at the border all advance). Threshold:
    the ranking score (round.basis) ≥ X. The next round's eligible set follows from this
    (eligibility.eligible_entries). Idempotent."""
    if round.advancement == JudgingRound.Advancement.TOP_N and not round.advance_count:
        raise AdvancementError(_("Set N, how many entries of each group advance."))
    if round.advancement == JudgingRound.Advancement.THRESHOLD and round.advance_threshold is None:
        raise AdvancementError(_("Set X, the score an entry needs to advance."))
    results = aggregate_round(round)
    for result in results:
        if round.advancement == JudgingRound.Advancement.TOP_N:
            result.advanced = (
                result.rank_in_group is not None and result.rank_in_group <= round.advance_count
            )
        else:
            value = basis_value(round, result)
            result.advanced = value is not None and value >= round.advance_threshold
    EntryResult.objects.bulk_update(results, ["advanced"])
    return sum(result.advanced for result in results)
