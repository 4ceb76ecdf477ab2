"""The demo quizzes: question banks from CSV files, through the real importer."""

import re

import pytest

from competitions.quizzes.models import Question, QuestionBank, QuizDrawRule, QuizPage
from demo import quizzes
from demo.content import ensure_home_page
from demo.datafiles import toml

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

NUMBER_OF_SOMETHING = re.compile(r"[0-9０-９一二三四五六七八九十百两]+\s*(道|题|分钟|次|分)")


def test_the_demo_texts_state_no_numbers_the_rules_could_contradict():
    for spec in toml("quizzes")["quizzes"]:
        text = spec["summary"] + re.sub(r"<[^>]+>", "", spec["intro"])
        assert not NUMBER_OF_SOMETHING.search(text), text


def test_the_demo_banks_come_from_their_csv_files_through_the_importer():
    report = []
    quizzes.load(ensure_home_page()[0], report)

    assert report == ["quizzes: 2 created, 0 kept"]
    epidemic = QuestionBank.objects.get(name="防疫知识题库")
    assert epidemic.questions.count() == 64
    assert QuestionBank.objects.get(name="科学素质题库").questions.count() == 36
    assert set(epidemic.categories.values_list("name", flat=True)) >= {"传染病基础"}
    judged = Question.objects.get(stem="抗生素可以杀灭病毒，所以得了普通感冒应尽快服用抗生素。")
    assert judged.kind == Question.Kind.TRUE_FALSE
    assert [(c.text, c.is_correct) for c in judged.choices.order_by("sort_order")] == [
        ("正确", False),
        ("错误", True),
    ]
    assert QuizPage.objects.get(slug="fangyi-quiz").quiz.bank == epidemic


def test_the_epidemic_quiz_draws_its_questions_from_every_category_of_its_bank():
    quizzes.load(ensure_home_page()[0], [])

    quiz = QuizPage.objects.get(slug="fangyi-quiz").quiz
    per_category = next(q for q in toml("quizzes")["quizzes"] if q["slug"] == "fangyi-quiz")[
        "per_category"
    ]
    rules = QuizDrawRule.objects.filter(quiz=quiz)
    assert {rule.category_id for rule in rules} == set(
        quiz.bank.categories.values_list("pk", flat=True)
    )
    assert {rule.count for rule in rules} == {per_category}


def test_a_demo_bank_the_importer_refuses_stops_the_load_and_creates_no_question(
    tmp_path, monkeypatch
):
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "broken.csv").write_text(
        "题型,题干,选项A,选项B,正确答案\n单选,一道没有正确答案的题,甲,乙,\n", encoding="utf-8"
    )
    monkeypatch.setattr(quizzes, "DATA", tmp_path)

    with pytest.raises(quizzes.DemoBankError, match=r"broken\.csv: row 2"):
        quizzes.load_bank("坏题库", "broken")

    assert not Question.objects.filter(stem="一道没有正确答案的题").exists()
