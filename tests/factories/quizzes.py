"""Question banks, quizzes and finished attempts for tests."""

import datetime

import factory
from django.utils import timezone

from competitions.core.models import Unit
from competitions.quizzes.models import (
    Choice,
    LeaderboardEntry,
    Question,
    QuestionBank,
    QuestionCategory,
    Quiz,
    QuizAttempt,
)


class UnitFactory(factory.django.DjangoModelFactory):
    kind = Unit.Kind.SCHOOL
    name = factory.Sequence(lambda n: f"示范市第{n}中学")

    class Meta:
        model = Unit


class QuestionBankFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"题库{n}")

    class Meta:
        model = QuestionBank


class QuestionCategoryFactory(factory.django.DjangoModelFactory):
    bank = factory.SubFactory(QuestionBankFactory)
    name = factory.Sequence(lambda n: f"分类{n}")

    class Meta:
        model = QuestionCategory


class QuestionFactory(factory.django.DjangoModelFactory):
    """A single-choice question whose first choice is correct (`choices` overrides)."""

    bank = factory.SubFactory(QuestionBankFactory)
    kind = Question.Kind.SINGLE
    difficulty = "easy"
    stem = factory.Sequence(lambda n: f"第{n}题：洗手至少要揉搓多少秒？")
    explanation = "揉搓不少于20秒才能洗净。"

    class Meta:
        model = Question
        skip_postgeneration_save = True

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if not create:
            return
        specs = extracted or [("20秒", True), ("5秒", False), ("2秒", False), ("1秒", False)]
        for order, (text, correct) in enumerate(specs):
            Choice.objects.create(question=self, text=text, is_correct=correct, sort_order=order)


def make_bank(questions: int = 10, **kwargs) -> QuestionBank:
    bank = QuestionBankFactory(**kwargs)
    QuestionFactory.create_batch(questions, bank=bank)
    return bank


class QuizFactory(factory.django.DjangoModelFactory):
    """An open quiz of 5 questions, 10 minutes, 3 attempts a day, sign-in required."""

    title = factory.Sequence(lambda n: f"防疫知识竞答{n}")
    bank = factory.LazyFunction(lambda: make_bank(10))
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    questions_per_attempt = 5
    time_limit_seconds = 600
    attempts_per_day = 3
    pass_mark = 60

    class Meta:
        model = Quiz


class FinishedAttemptFactory(factory.django.DjangoModelFactory):
    """A submitted attempt with a score, for statistics, rankings and draws.

    It has no drawn questions; tests of scoring go through the services instead.
    """

    quiz = factory.SubFactory(QuizFactory)
    user = None
    participant_key = factory.Sequence(lambda n: f"a:participant{n}")
    day = factory.LazyFunction(timezone.localdate)
    # Numbered as the start service numbers them: the participant's nth attempt of the quiz,
    # and of its day (statistics count people by these numbers).
    day_number = factory.LazyAttribute(
        lambda o: (
            QuizAttempt.objects.filter(
                quiz=o.quiz, participant_key=o.participant_key, day=o.day
            ).count()
            + 1
        )
    )
    total_number = factory.LazyAttribute(
        lambda o: (
            QuizAttempt.objects.filter(quiz=o.quiz, participant_key=o.participant_key).count() + 1
        )
    )
    status = QuizAttempt.Status.SUBMITTED
    started_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=5))
    deadline = factory.LazyAttribute(lambda o: o.started_at + datetime.timedelta(minutes=10))
    submitted_at = factory.LazyAttribute(lambda o: o.started_at + datetime.timedelta(minutes=3))
    max_score = 5
    score = 5
    duration_ms = 180_000

    class Meta:
        model = QuizAttempt
        skip_postgeneration_save = True

    @factory.post_generation
    def on_leaderboard(self, create, extracted, **kwargs):
        if create and extracted is not False:
            LeaderboardEntry.objects.update_or_create(
                quiz=self.quiz,
                participant_key=self.participant_key,
                defaults={
                    "user": self.user,
                    "attempt": self,
                    "score": self.score,
                    "duration_ms": self.duration_ms,
                    "achieved_at": self.submitted_at,
                },
            )
