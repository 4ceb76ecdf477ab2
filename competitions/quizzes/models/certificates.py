"""Certificates (证书): one per participant per quiz, for their best passing attempt.

Everything printed on a certificate is snapshotted here when it is issued, so that the
public verification page shows what the paper shows even if the quiz is renamed later.
The code is the only key the public gets: random, unguessable, short enough to type.
"""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from competitions.core.certificates.names import ChosenName

from .attempts import QuizAttempt
from .quiz import Quiz

# Crockford's base32: digits and capitals without I, L, O and U, so a code read aloud or
# typed from paper cannot be misread (0/O, 1/I/L).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 random bits
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def generate_certificate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_certificate_code(text: str) -> str:
    """A code as typed ("abcd-efgh-jkmn", "ABCD EFGH JKMN", with O for 0) → its stored form."""
    return "".join(text.split()).replace("-", "").upper().translate(_LOOKALIKES)


class Certificate(ChosenName):
    """A participant's certificate for one quiz.

    One row per (quiz, participant): when a later attempt passes with a better result, the
    row is moved to that attempt and its snapshot refreshed, keeping its code, so a QR code
    already printed or shared keeps verifying (see competitions/quizzes/certificates/services.py).
    """

    attempt = models.OneToOneField(
        QuizAttempt, on_delete=models.CASCADE, related_name="certificate"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="certificates")
    participant_key = models.CharField(max_length=64)
    code = models.CharField(
        _("certificate code"), max_length=CODE_LENGTH, unique=True, editable=False
    )
    # Masked, for the public verification page; the holder's chosen name is `printed_name`
    # (competitions/core/certificates/names.py).
    holder_name = models.CharField(_("holder"), max_length=60)
    quiz_title = models.CharField(_("quiz"), max_length=100)
    score = models.PositiveSmallIntegerField(_("score"))
    max_score = models.PositiveSmallIntegerField(_("maximum score"))
    percent = models.PositiveSmallIntegerField(_("percentage"))
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "participant_key"], name="certificate_one_per_participant"
            ),
            models.CheckConstraint(
                condition=Q(score__lte=models.F("max_score")), name="certificate_score_within_max"
            ),
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="certificate_percent_is_a_percentage"
            ),
        ]

    @property
    def holder_user(self):
        """The participant this certificate names."""
        return self.attempt.user

    def __str__(self):
        return f"{self.quiz_title} · {self.code}"

    @property
    def display_code(self) -> str:
        """The code in groups of four, as printed: "ABCD-EFGH-JKMN"."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
