"""The quizzes app's models, one module per concept; Django finds them all through here."""

from .attempts import AnswerBatch, LeaderboardEntry, QuizAttempt
from .banks import Choice, Difficulty, Question, QuestionBank, QuestionCategory
from .certificates import Certificate
from .exports import QuizExport
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
    "Prize",
    "PrizeClaim",
    "PrizeClaimAccess",
    "PrizeDraw",
    "Question",
    "QuestionBank",
    "QuestionCategory",
    "Quiz",
    "QuizAttempt",
    "QuizDrawRule",
    "QuizExport",
    "QuizFixedQuestion",
    "QuizPage",
    "Winner",
]
