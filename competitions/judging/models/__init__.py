from .reminders import JudgeReminder
from .results import EntryResult
from .rounds import Criterion, Judge, JudgingPanel, JudgingRound, Rubric
from .scores import Assignment, CriterionScore, Score

__all__ = [
    "Assignment",
    "Criterion",
    "CriterionScore",
    "EntryResult",
    "Judge",
    "JudgeReminder",
    "JudgingPanel",
    "JudgingRound",
    "Rubric",
    "Score",
]
