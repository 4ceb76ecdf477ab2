"""A participant's quiz data in their account export (accounts.exports).

Deleting the account deletes their attempts, answers and leaderboard entries with it
(foreign keys cascade); anonymous attempts hold no personal data.
"""

from accounts.exports import ExportSection, register_exporter

from .models import QuizAttempt


@register_exporter
def export_quiz_attempts(user) -> ExportSection:
    attempts = (
        QuizAttempt.objects.filter(user=user)
        .select_related("quiz", "unit")
        .order_by("started_at", "pk")
    )
    return ExportSection(
        "quiz_attempts",
        [
            {
                "quiz": attempt.quiz.title,
                "unit": attempt.unit.name if attempt.unit else "",
                "started_at": attempt.started_at,
                "submitted_at": attempt.submitted_at,
                "status": attempt.status,
                "score": attempt.score,
                "max_score": attempt.max_score,
                "duration_ms": attempt.duration_ms,
                "answers": [
                    {
                        "position": row.position,
                        "question": row.question.stem,
                        "correct": row.is_correct,
                    }
                    for row in attempt.questions.select_related("question")
                ]
                if attempt.is_finished
                else [],
            }
            for attempt in attempts
        ],
    )
