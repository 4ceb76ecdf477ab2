"""The judging sheets of a contest's .xlsx export (submissions/results/exports.py).

Per round, one sheet with every judge's points per criterion, total and comment for each
assigned entry (also unsubmitted drafts and unstarted work, so organisers see what is
missing), and one sheet of the aggregated scores of every round. Points, totals and scores
are numbers in the workbook, empty where missing. Judges appear by
username, as on the organisers' progress page; authors do not appear at all.
"""

import re

from django.utils.translation import gettext as _

from competitions.core.spreadsheets import Sheet
from competitions.submissions.results.exports import register_sheets

from .models import Assignment, EntryResult, JudgingRound, Score

# Excel refuses these characters in sheet titles and cuts titles at 31 characters.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(text: str) -> str:
    return SHEET_TITLE_FORBIDDEN.sub(" ", text)[:31]


def _status(score: Score | None) -> str:
    if score is None:
        return _("Not started")
    if score.status == Score.Status.SUBMITTED:
        return _("Score submitted")
    return _("Draft, not submitted")


def judge_scores_sheet(round: JudgingRound) -> Sheet:
    """One row per assignment of `round`: entry, group, judge, points per criterion, total,
    status, submission time and comment; ordered by entry number, then judge."""
    criteria = list(round.rubric.criteria.all())
    header = [_("Entry number"), _("Group"), _("Judge")]
    header += [
        _("%(criterion)s (max %(max)s)") % {"criterion": c.name, "max": c.max_points}
        for c in criteria
    ]
    header += [_("Total (0–100)"), _("Status"), _("Scored at"), _("Comment")]
    rows = [header]
    assignments = (
        Assignment.objects.filter(round=round)
        .select_related("entry__group", "judge", "score")
        .prefetch_related("score__points")
        .order_by("entry__number", "judge__username", "pk")
    )
    for assignment in assignments:
        score = getattr(assignment, "score", None)  # None: not started
        points = {p.criterion_id: p.points for p in score.points.all()} if score else {}
        rows.append(
            [
                assignment.entry.display_number,
                assignment.entry.group.name,
                assignment.judge.get_username(),
                *(points.get(c.pk) for c in criteria),
                score.total if score and score.status == Score.Status.SUBMITTED else None,
                _status(score),
                score.submitted_at if score else None,
                score.comment if score else "",
            ]
        )
    title = _sheet_title(_("Judges' scores · %(round)s") % {"round": round.name})
    return Sheet(title, rows, column_widths=[12, 10, 16, *[14] * len(criteria), 12, 10, 18, 40])


def aggregated_scores_sheet(rounds: list[JudgingRound]) -> Sheet:
    """The aggregated expert scores (EntryResult) of every round, by round, group and rank."""
    rows = [
        [
            _("Round"),
            _("Entry number"),
            _("Group"),
            _("Scores"),
            _("Mean"),
            _("Trimmed mean"),
            _("Normalised mean"),
            _("Spread"),
            _("Second look"),
            _("Rank in group"),
            _("Advanced"),
        ]
    ]
    results = (
        EntryResult.objects.filter(round__in=rounds)
        .select_related("round", "entry__group")
        .order_by("round__number", "entry__group__sort_order", "rank_in_group", "entry__number")
    )
    for result in results:
        rows.append(
            [
                result.round.name,
                result.entry.display_number,
                result.entry.group.name,
                result.score_count,
                result.mean,
                result.trimmed_mean,
                result.normalised_mean,
                result.spread,
                _("Judges disagree") if result.flagged_disagreement else "",
                result.rank_in_group,
                _("Yes") if result.advanced else "",
            ]
        )
    return Sheet(
        _("Aggregated expert scores"),
        rows,
        column_widths=[10, 12, 10, 8, 10, 10, 10, 10, 12, 10, 8],
    )


@register_sheets
def judging_sheets(contest) -> list[Sheet]:
    """Nothing for a contest without judging rounds."""
    rounds = list(
        JudgingRound.objects.filter(contest=contest).select_related("rubric").order_by("number")
    )
    if not rounds:
        return []
    return [*(judge_scores_sheet(round) for round in rounds), aggregated_scores_sheet(rounds)]
