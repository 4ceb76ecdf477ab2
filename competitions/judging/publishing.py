"""The final expert score of each entry, and whether the judging is finished, for
publishing a contest's results."""

from django.utils.translation import gettext as _

from competitions.submissions.results.sources import register_readiness, register_scores

from .aggregation import basis_value
from .models import Assignment, EntryResult, JudgingRound, Score


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
    for result in EntryResult.objects.filter(round=last, entry__ineligibility__isnull=True):
        value = basis_value(last, result)
        if value is not None:
            scores[result.entry_id] = float(value)
    return scores


@register_readiness
def unfinished_judging(contest) -> list[str]:
    """The contest's last judging round must have every assigned score submitted and its
    results computed; a contest without judging rounds has nothing to wait for."""
    last = JudgingRound.objects.filter(contest=contest).order_by("-number").first()
    if last is None:
        return []
    problems = []
    missing = (
        Assignment.objects.filter(round=last).exclude(score__status=Score.Status.SUBMITTED).count()
    )
    if missing:
        problems.append(
            _("Judging is not finished: %(count)s scores of “%(round)s” are not submitted yet.")
            % {"count": missing, "round": last.name}
        )
    elif not EntryResult.objects.filter(round=last).exists():
        problems.append(
            _(
                "The results of “%(round)s” are not computed yet: compute them on its judging "
                "progress page first."
            )
            % {"round": last.name}
        )
    return problems
