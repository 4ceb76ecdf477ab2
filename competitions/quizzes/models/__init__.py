from .attempts import AnswerSave, AttemptQuestion, LeaderboardEntry, QuizAttempt
from .banks import Choice, Difficulty, Question, QuestionBank, QuestionCategory
from .certificates import Certificate
from .exports import QuizExport as QuizExport  # statistics and exports
from .page import QuizPage
from .prizes import Prize, PrizeClaim, PrizeClaimAccess, PrizeDraw, Winner
from .quiz import Quiz, QuizDrawRule, QuizFixedQuestion

__all__ = [
    "AnswerSave",
    "AttemptQuestion",
    "Certificate",
    "Choice",
    "Difficulty",
    "LeaderboardEntry",
    "Question",
    "QuestionBank",
    "QuestionCategory",
    "Quiz",
    "QuizAttempt",
    "QuizDrawRule",
    "QuizFixedQuestion",
    "QuizPage",
]

# Prizes and the prize draw.
__all__ += ["Prize", "PrizeClaim", "PrizeClaimAccess", "PrizeDraw", "Winner"]
