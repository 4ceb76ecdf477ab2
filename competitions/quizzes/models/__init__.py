from .attempts import AnswerBatch, LeaderboardEntry, QuizAttempt
from .banks import Choice, Difficulty, Question, QuestionBank, QuestionCategory
from .certificates import Certificate
from .exports import QuizExport as QuizExport  # statistics and exports
from .item_analysis import ItemCounter
from .page import QuizPage
from .prizes import Prize, PrizeClaim, PrizeClaimAccess, PrizeDraw, Winner
from .quiz import Quiz, QuizDrawRule, QuizFixedQuestion

__all__ = [
    "AnswerBatch",
    "Certificate",
    "Choice",
    "Difficulty",
    "ItemCounter",
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
