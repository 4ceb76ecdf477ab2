"""Issuing certificates (证书) for passing quiz attempts.

`issue_certificate` runs after the submission commits, through the outbox: the submit
service calls `outbox.services.enqueue("quizzes.issue_certificate",
attempt.pk)` for a passing attempt. Nothing here runs on the quiz's hot path; images are
drawn later, on request (competitions/quizzes/certificates/images.py).

Decisions:

- One certificate per participant per quiz, for their best passing attempt: the highest
  percentage, and among equal ones the earliest submitted. A better attempt later moves the
  certificate to itself and refreshes the snapshot, keeping the code, so a QR code already
  printed or shared keeps verifying; the verification page then shows the best result.
  Because "better" is a total order, messages delivered late or twice give the same result.
- Only signed-in participants get certificates: an anonymous attempt has nobody who could
  download it.
- The public verification page shows the holder's name masked ("张**", "138****5678"); the
  downloaded certificate carries the name its holder chose (nickname or real name; a child's
  needs the guardian's display consent), see competitions/core/certificates/names.py.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from competitions.core.certificates.names import masked_name
from outbox.jobs import job

from ..models import Certificate, QuizAttempt
from ..models.certificates import generate_certificate_code

# Attempts at an unused random code before giving up (a clash is ~1 in 10¹⁸ per try).
_CODE_ATTEMPTS = 5


def is_passing(attempt: QuizAttempt) -> bool:
    """A finished attempt whose percentage reaches the quiz's pass mark."""
    return (
        attempt.status in (QuizAttempt.Status.SUBMITTED, QuizAttempt.Status.EXPIRED)
        and attempt.score is not None
        and attempt.percent >= attempt.quiz.pass_mark
    )


def _is_better(attempt: QuizAttempt, than: QuizAttempt) -> bool:
    if attempt.percent != than.percent:
        return attempt.percent > than.percent
    return (attempt.submitted_at, attempt.pk) < (than.submitted_at, than.pk)


def _snapshot(attempt: QuizAttempt) -> dict:
    return {
        "attempt": attempt,
        "holder_name": masked_name(attempt.user),
        "quiz_title": attempt.quiz.title,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "percent": attempt.percent,
        "issued_at": timezone.now(),
    }


@job("quizzes.issue_certificate")
def issue_certificate(attempt_id: int) -> Certificate | None:
    """Issues (or upgrades) the participant's certificate for this attempt's quiz.

    Guarantees: idempotent, and safe to call in any order for any attempt. Returns the
    participant's certificate when the attempt passes (whether or not it is the one the
    certificate now shows), None and changes nothing for an attempt that is missing,
    unfinished, failing or anonymous. Concurrent calls for the same participant and quiz
    leave exactly one certificate (a database constraint; the loser re-reads it).
    """
    attempt = QuizAttempt.objects.select_related("quiz", "user").filter(pk=attempt_id).first()
    if attempt is None or attempt.user is None or not is_passing(attempt):
        return None
    for code_attempt in range(_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return _issue(attempt)
        except IntegrityError:
            # Another delivery created the certificate first (the next round updates it
            # instead), or the random code clashed (the next round draws another).
            if code_attempt == _CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _issue(attempt: QuizAttempt) -> Certificate:
    certificate = (
        Certificate.objects.select_for_update()
        .select_related("attempt")
        .filter(quiz=attempt.quiz, participant_key=attempt.participant_key)
        .first()
    )
    if certificate is None:
        return Certificate.objects.create(
            quiz=attempt.quiz,
            participant_key=attempt.participant_key,
            code=generate_certificate_code(),
            **_snapshot(attempt),
        )
    if certificate.attempt_id != attempt.pk and _is_better(attempt, certificate.attempt):
        for field, value in _snapshot(attempt).items():
            setattr(certificate, field, value)
        certificate.save()
    return certificate


def certificate_for(attempt: QuizAttempt) -> Certificate | None:
    """The certificate of this attempt's participant in its quiz, if one was issued."""
    if attempt.user_id is None:
        return None
    return Certificate.objects.filter(
        quiz_id=attempt.quiz_id, participant_key=attempt.participant_key
    ).first()
