"""Valid votes per entry, for publishing a contest's results (voided votes never count)."""

from competitions.submissions.results.sources import register_votes

from .services import ranking


@register_votes
def valid_votes(contest) -> dict[int, int]:
    return {row.entry_id: row.votes for row in ranking(contest)}
