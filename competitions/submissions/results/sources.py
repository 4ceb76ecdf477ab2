"""Where the final expert scores and the vote counts come from when results are published.

Judging and voting depend on submissions, not the other way round, so they register their
figures here; `publish_contest_results()` gathers them and hands them to awards.py.
"""

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Phase
from .awards import publish_results

_score_sources: list[Callable] = []
_vote_sources: list[Callable] = []
_readiness_checks: list[Callable] = []


class NotReadyToPublish(Exception):
    """Awards cannot be published yet; `problems` says why, in the organiser's language."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def register_scores(source: Callable) -> Callable:
    """`source(contest) -> {entry_id: final expert score on a 0–100 scale}`."""
    _score_sources.append(source)
    return source


def register_votes(source: Callable) -> Callable:
    """`source(contest) -> {entry_id: valid votes}`."""
    _vote_sources.append(source)
    return source


def register_readiness(check: Callable) -> Callable:
    """`check(contest) -> [problem, …]`: what keeps the results from being final (judging
    registers its unfinished rounds)."""
    _readiness_checks.append(check)
    return check


def publishing_problems(contest, now=None) -> list[str]:
    """Why `contest`'s awards cannot be published now: entries still open, or judging
    unfinished. Empty when they can."""
    now = now or timezone.now()
    problems = []
    if contest.phase(now) in (Phase.UPCOMING, Phase.SUBMISSION):
        deadline = timezone.localtime(contest.submission_closes_at).strftime("%Y-%m-%d %H:%M")
        problems.append(
            _(
                "Entries are still open until %(moment)s: awards can be published only after "
                "the entry deadline and the judging."
            )
            % {"moment": deadline}
        )
    for check in _readiness_checks:
        problems.extend(check(contest))
    return problems


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


def publish_contest_results(contest, now=None):
    """Computes and publishes the awards from the latest judging round and the valid votes.

    Guarantees: NotReadyToPublish, and nothing changed, while entries are still open or
    the judging is unfinished (`publishing_problems`). Idempotent (see
    awards.publish_results): running it again with the same figures changes nothing.
    """
    problems = publishing_problems(contest, now)
    if problems:
        raise NotReadyToPublish(problems)
    return publish_results(contest, collect_scores(contest), collect_votes(contest))
