"""The facts quiz pages show come from the rules that draw and score the papers."""

import random

import pytest

from competitions.quizzes import papers
from competitions.quizzes.facts import facts_for, right_answers_needed
from competitions.quizzes.models import Quiz, QuizDrawRule, QuizFixedQuestion
from tests.factories.quizzes import (
    QuestionBankFactory,
    QuestionCategoryFactory,
    QuestionFactory,
    QuizFactory,
    make_bank,
)

pytestmark = pytest.mark.django_db


def fresh(quiz) -> Quiz:
    return Quiz.objects.get(pk=quiz.pk)


def drawn_size(quiz) -> int:
    return len(papers.draw_paper(papers.material_for(quiz), quiz, random.Random(1)))


def test_the_question_count_is_the_size_of_a_drawn_paper_without_rules():
    quiz = fresh(QuizFactory(bank=make_bank(12), questions_per_attempt=7))

    assert facts_for(quiz).questions == drawn_size(quiz) == 7


def test_the_question_count_follows_the_quotas_not_questions_per_attempt():
    bank = QuestionBankFactory()
    categories = QuestionCategoryFactory.create_batch(4, bank=bank)
    for category in categories:
        QuestionFactory.create_batch(4, bank=bank, category=category)
    quiz = QuizFactory(bank=bank, questions_per_attempt=10)
    for category in categories:
        QuizDrawRule.objects.create(quiz=quiz, category=category, count=3)
    quiz = fresh(quiz)

    assert facts_for(quiz).questions == drawn_size(quiz) == 12


def test_the_question_count_of_a_fixed_list_is_its_length():
    quiz = QuizFactory(bank=make_bank(8), questions_per_attempt=5)
    for question in quiz.bank.questions.all()[:3]:
        QuizFixedQuestion.objects.create(quiz=quiz, question=question)
    quiz = fresh(quiz)

    assert facts_for(quiz).questions == drawn_size(quiz) == 3


def test_the_time_limit_is_split_into_minutes_and_seconds():
    facts = facts_for(fresh(QuizFactory(time_limit_seconds=450)))

    assert (facts.time_limit_minutes, facts.time_limit_extra_seconds) == (7, 30)


@pytest.mark.parametrize(
    ("questions", "pass_mark", "needed"),
    [(10, 60, 6), (12, 60, 8), (11, 60, 7), (3, 60, 2), (5, 100, 5), (8, 0, 0), (0, 60, 0)],
)
def test_the_certificate_needs_the_fewest_right_answers_whose_percent_passes(
    questions, pass_mark, needed
):
    assert right_answers_needed(questions, pass_mark) == needed
