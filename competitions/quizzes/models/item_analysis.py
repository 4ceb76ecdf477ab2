"""Live item analysis (题目分析): counters per question that every scored attempt adds to.

The counters are sufficient statistics: facility, the upper/lower 27 % discrimination index,
the point-biserial correlation, distractor shares, answer-position bias and Cronbach's α are
all computed from them (competitions/quizzes/item_analysis/), so the statistics page costs
the same at two hundred attempts as at two million. The maths is in docs/quizzes.md.
"""

from django.db import models

from .banks import Question
from .quiz import Quiz


class ItemCounter(models.Model):
    """One counter cell of one question in one quiz, by kind:

    - SCORE, key = an attempt's total score t: `n` attempts with total t drew the question,
      `hits` of them answered it correctly;
    - CHOICE, key = a choice id (0: left unanswered): `hits` attempts chose it;
    - POSITION, key = the place (1, 2, …) an option was shown at: `hits` picks there.
    """

    class Kind(models.TextChoices):
        SCORE = "s", "score"
        CHOICE = "c", "choice"
        POSITION = "p", "position"

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")
    # PROTECT: a question with statistics is not deleted by accident (take it out of use).
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=1, choices=Kind.choices)
    key = models.IntegerField()
    n = models.BigIntegerField(default=0)
    hits = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "question", "kind", "key"], name="item_counter_cell"
            )
        ]

    def __str__(self):
        return f"{self.quiz_id}/{self.question_id}/{self.kind}{self.key}"
