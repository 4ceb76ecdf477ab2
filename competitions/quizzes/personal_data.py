"""A participant's quiz data in their account export (accounts.exports).

Deleting the account deletes their attempts, answers, certificates and leaderboard entries
with it (foreign keys cascade), and the deleter here drops the drawn certificates and share
cards from the cache; anonymous attempts hold no personal data.
"""

from django.core.cache import cache
from django.db import transaction

from accounts.deletion import register_deleter
from accounts.exports import ExportSection, register_exporter

from . import papers
from .certificates import images as certificate_images
from .models import Certificate, QuizAttempt


def _answers(attempt: QuizAttempt) -> list[dict]:
    material = papers.material_for(attempt.quiz)
    rows = []
    for position, (question_id, _order) in enumerate(attempt.paper, start=1):
        question = papers.question_of(material, question_id)
        verdict = attempt.verdicts[position - 1 : position]
        rows.append(
            {
                "position": position,
                "question": question.stem if question else "",
                "correct": {"1": True, "0": False}.get(verdict),
            }
        )
    return rows


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
                "page_leaves": attempt.page_leaves,
                "answers": _answers(attempt) if attempt.is_finished else [],
            }
            for attempt in attempts
        ],
    )


@register_deleter
def forget_drawn_images(user) -> None:
    """Drops the cached certificate images and share cards of the user's attempts once the
    deletion is committed."""
    attempts = list(QuizAttempt.objects.filter(user=user).only("public_id", "score"))
    certificates = Certificate.objects.filter(attempt__user=user).only("code", "issued_at")
    keys = certificate_images.cache_keys(certificates, attempts)
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))
