from .attempts import AnswerSave, AttemptQuestion, LeaderboardEntry, QuizAttempt
from .banks import Choice, Difficulty, Question, QuestionBank, QuestionCategory
from .exports import QuizExport as QuizExport  # statistics and exports
from .page import QuizPage
from .quiz import Quiz, QuizDrawRule, QuizFixedQuestion

__all__ = [
    "AnswerSave",
    "AttemptQuestion",
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
