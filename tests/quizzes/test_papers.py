"""A quiz version's material: built once, renewed by every change, drawn from in memory."""

import random
import re
from uuid import uuid4

import pytest

from competitions.quizzes import attempts, papers
from competitions.quizzes.models import Choice, Question, Quiz, QuizDrawRule, QuizFixedQuestion
from tests.factories.quizzes import (
    QuestionBankFactory,
    QuestionCategoryFactory,
    QuestionFactory,
    QuizFactory,
    make_bank,
)

pytestmark = pytest.mark.django_db


def fresh(quiz) -> Quiz:
    """The quiz as the next request reads it."""
    return Quiz.objects.get(pk=quiz.pk)


def test_the_material_is_built_once_per_version(django_assert_num_queries):
    quiz = fresh(QuizFactory())
    papers.material_for(quiz)

    with django_assert_num_queries(0):
        material = papers.material_for(quiz)
        papers.draw_paper(material, quiz, random.Random(1))


@pytest.mark.parametrize(
    "change",
    [
        lambda quiz: Question.objects.filter(bank=quiz.bank).first().save(),
        lambda quiz: Choice.objects.filter(question__bank=quiz.bank).first().save(),
        lambda quiz: Choice.objects.filter(question__bank=quiz.bank).first().delete(),
        lambda quiz: QuestionFactory(bank=quiz.bank),
        lambda quiz: QuizDrawRule.objects.create(quiz=quiz, count=2),
        lambda quiz: QuizFixedQuestion.objects.create(
            quiz=quiz, question=quiz.bank.questions.first()
        ),
        lambda quiz: Quiz.objects.get(pk=quiz.pk).save(),
    ],
    ids=["question", "choice", "deleted-choice", "new-question", "rule", "fixed", "quiz"],
)
def test_every_change_of_what_a_paper_shows_renews_the_version(change):
    quiz = fresh(QuizFactory())
    before = quiz.material_version

    change(quiz)

    assert fresh(quiz).material_version != before


def test_an_edited_question_is_shown_and_scored_as_edited_at_once():
    quiz = fresh(QuizFactory())
    papers.material_for(quiz)
    question = quiz.bank.questions.first()
    question.stem = "改过的题干"
    question.save()
    wrong = question.choices.get(is_correct=False, sort_order=1)
    Choice.objects.filter(question=question).update(is_correct=False)
    wrong.is_correct = True
    wrong.save()

    material = papers.material_for(fresh(quiz))

    assert material.questions[question.pk].stem == "改过的题干"
    assert material.questions[question.pk].correct == {wrong.pk}


def test_moving_a_question_to_another_bank_takes_it_out_of_the_old_banks_draws():
    quiz = fresh(QuizFactory())
    papers.material_for(quiz)
    question = Question.objects.get(pk=quiz.bank.questions.first().pk)

    question.bank = QuestionBankFactory()
    question.save()

    assert question.pk not in papers.material_for(fresh(quiz)).drawable


def test_a_bulk_import_renews_the_version(organiser_client):
    from .spreadsheets import GOOD_ROWS, xlsx_file

    quiz = fresh(QuizFactory())
    before = quiz.material_version

    organiser_client.post(
        f"/admin/quiz-banks/banks/{quiz.bank_id}/import/", {"file": xlsx_file(GOOD_ROWS)}
    )

    assert Question.objects.filter(bank=quiz.bank, stem="洗手至少要揉搓多少秒？").exists()
    assert fresh(quiz).material_version != before


def test_quotas_draw_distinct_questions_of_each_category_and_difficulty():
    bank = QuestionBankFactory()
    hard = QuestionCategoryFactory(bank=bank)
    QuestionFactory.create_batch(3, bank=bank, category=hard, difficulty="hard")
    QuestionFactory.create_batch(6, bank=bank, difficulty="easy")
    quiz = QuizFactory(bank=bank)
    QuizDrawRule.objects.create(quiz=quiz, category=hard, difficulty="hard", count=3)
    QuizDrawRule.objects.create(quiz=quiz, difficulty="easy", count=5)
    quiz = fresh(quiz)
    material = papers.material_for(quiz)

    for seed in range(20):
        paper = papers.draw_paper(material, quiz, random.Random(seed))
        drawn = [material.questions[pk] for pk, _order in paper]
        assert len({q.id for q in drawn}) == 8
        assert sum(1 for q in drawn if q.category_id == hard.pk) == 3


def test_a_bank_too_small_for_its_rules_cannot_draw():
    quiz = fresh(QuizFactory(bank=make_bank(3), questions_per_attempt=5))

    with pytest.raises(attempts.NotEnoughQuestions):
        attempts.start_attempt(quiz, key="u:1")


def test_questions_taken_out_of_use_are_not_drawn():
    quiz = QuizFactory(bank=make_bank(6))
    question = quiz.bank.questions.first()
    question.is_active = False
    question.save()

    material = papers.material_for(fresh(quiz))

    assert len(material.drawable) == 5


def test_the_paper_html_holds_tokens_and_saved_choices_but_no_secrets():
    quiz = fresh(QuizFactory())
    attempt = attempts.start_attempt(quiz, key="u:1")
    first = attempt.paper[0][1][2]
    attempts.save_answer(
        attempt, position=1, tokens=[attempts.option_token(attempt, first)], client_token=uuid4()
    )
    attempt.refresh_from_db()

    html = papers.paper_html(attempt, papers.material_for(quiz))

    assert html.count('class="quiz-paper__item"') == 5
    assert f'name="q1" value="{attempts.option_token(attempt, first)}" checked' in html
    assert html.count(" checked") == 1
    values = set(re.findall(r'value="([^"]+)"', html))
    assert not values & {str(pk) for pk in Choice.objects.values_list("pk", flat=True)}
    assert "揉搓不少于20秒" not in html and "correct" not in html
    assert not re.search("[\ue000-\ue003]", html)


def test_markers_typed_into_a_question_cannot_break_the_paper():
    bank = QuestionBankFactory()
    QuestionFactory(bank=bank, stem="奇怪的\ue001题干\ue000")
    QuestionFactory.create_batch(4, bank=bank)
    quiz = fresh(QuizFactory(bank=bank))
    attempt = attempts.start_attempt(quiz, key="u:1")

    html = papers.paper_html(attempt, papers.material_for(quiz))

    assert "奇怪的题干" in html and html.count('class="quiz-options"') == 5


@pytest.mark.sqlite
def test_option_tokens_stay_the_documented_keyed_hash_so_open_papers_survive_a_deploy(settings):
    """A phone holds its paper's tokens for the whole attempt: the server must read them the
    same after a release, so their form is fixed (80 bits of HMAC-SHA256, base32)."""
    import base64
    import hmac
    from types import SimpleNamespace

    settings.SECRET_KEY = "a-test-secret"
    attempt = SimpleNamespace(public_id=uuid4())

    for choice_id in (1, 42, 123456789):
        expected = hmac.new(
            b"a-test-secret", f"quiz:{attempt.public_id}:{choice_id}".encode(), "sha256"
        ).digest()[:10]
        token = papers.option_tokens(attempt)(choice_id)
        assert token == base64.b32encode(expected).decode().lower()
        assert token == papers.option_token(attempt, choice_id) and len(token) == 16
