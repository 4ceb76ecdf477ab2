"""Where the final expert scores and the vote counts come from when results are published.

Judging and voting depend on submissions, not the other way round, so they register their
figures here; `publish_contest_results()` gathers them and hands them to awards.py.
"""

from collections.abc import Callable

_score_sources: list[Callable] = []
_vote_sources: list[Callable] = []


def register_scores(source: Callable) -> Callable:
    """`source(contest) -> {entry_id: final expert score on a 0–100 scale}`."""
    _score_sources.append(source)
    return source


def register_votes(source: Callable) -> Callable:
    """`source(contest) -> {entry_id: valid votes}`."""
    _vote_sources.append(source)
    return source


def collect_scores(contest) -> dict[int, float]:
    scores: dict[int, float] = {}
    for source in _score_sources:
        scores.update(source(contest))
    return scores


def collect_votes(contest) -> dict[int, int]:
    votes: dict[int, int] = {}
    for source in _vote_sources:
        votes.update(source(contest))
    return votes


def publish_contest_results(contest):
    """Computes and publishes the awards from the latest judging round and the valid votes.

    Idempotent (see awards.publish_results): running it again with the same figures
    changes nothing.
    """
    from .awards import publish_results

    return publish_results(contest, collect_scores(contest), collect_votes(contest))
