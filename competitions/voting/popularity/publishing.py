"""When a contest has a popularity rule, its popularity award (人气奖) and the popularity
share of the final score follow the popularity score rather than bare votes.

Registered after the voting app's own vote source (INSTALLED_APPS order), so for those
contests its figures replace the votes; contests without a rule keep votes alone.
"""

from competitions.submissions.results.sources import register_votes

from .services import ranking, rule_for


@register_votes
def popularity_scores(contest) -> dict[int, int]:
    """{entry id: popularity score, rounded} for contests with a rule, else nothing."""
    if rule_for(contest) is None:
        return {}
    return {row.entry_id: int(row.score.to_integral_value()) for row in ranking(contest)}
