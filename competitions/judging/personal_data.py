"""A judge's own judging data in their account export (accounts.exports).

What a judge is entitled to is what they themselves wrote and what was said about them: their
judge profile (the school that keeps them away from its pupils), the panels they sat on, the
reminders they were sent, and their own score sheets. Each sheet names its entry only by the
blind entry number the judge worked with: never the title, text, files, author or school, so
the export says nothing about a pupil that the judge could not see, and nothing about other
judges' scores or the aggregated results.

Authors get no judging data about their entries: scores and comments are the judges' own
data, and results become theirs only when published (competitions/submissions/personal_data.py
exports the published awards).

Deleting a judge's account deletes their profile, panel seats, assignments and score sheets
with it (the foreign keys cascade); results already computed or published are not recomputed.
"""

from accounts.exports import ExportSection, register_exporter

from .models import Assignment, Judge, JudgeReminder, JudgingPanel


def _score_sheet(assignment: Assignment) -> dict | None:
    score = getattr(assignment, "score", None)
    if score is None:
        return None
    return {
        "status": score.status,
        "total": score.total,
        "comment": score.comment,
        "points": [
            {"criterion": p.criterion.name, "points": p.points, "max_points": p.max_points}
            for p in score.points.all()
        ],
        "updated_at": score.updated_at,
        "submitted_at": score.submitted_at,
    }


@register_exporter
def export_judging(user) -> ExportSection | None:
    """The user's judging data (profile, panels, reminders, their own score sheets), or None
    for someone who never judged."""
    judge = Judge.objects.filter(user=user).select_related("school").first()
    panels = JudgingPanel.objects.filter(judges=user).select_related("round__contest", "group")
    assignments = (
        Assignment.objects.filter(judge=user)
        .select_related("round__contest", "entry", "score")
        .prefetch_related("score__points__criterion")
        .order_by("round__contest_id", "round__number", "entry__number", "pk")
    )
    reminders = JudgeReminder.objects.filter(judge=user).select_related("round__contest")
    if judge is None and not panels.exists() and not assignments.exists():
        return None
    return ExportSection(
        "judging",
        {
            "judge_profile": None
            if judge is None
            else {"school": judge.school.name if judge.school_id else ""},
            "panels": [
                {
                    "contest": panel.round.contest.title,
                    "round": panel.round.name,
                    "group": panel.group.name,
                    "panel": panel.name,
                }
                for panel in panels
            ],
            "reminders": [
                {
                    "contest": reminder.round.contest.title,
                    "round": reminder.round.name,
                    "sent_at": reminder.sent_at,
                }
                for reminder in reminders.order_by("sent_at", "pk")
            ],
            "assignments": [
                {
                    "contest": assignment.round.contest.title,
                    "round": assignment.round.name,
                    "entry_number": assignment.entry.display_number,
                    "assigned_at": assignment.created_at,
                    "score_sheet": _score_sheet(assignment),
                }
                for assignment in assignments
            ],
        },
    )
