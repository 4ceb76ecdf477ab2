from .attempts import AnswerSave, AttemptQuestion, LeaderboardEntry, QuizAttempt
from .banks import Choice, Difficulty, Question, QuestionBank, QuestionCategory
from .certificates import Certificate
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
]
