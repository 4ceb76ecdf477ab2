"""The question form in the admin, over HTTP as a 竞赛组织者 member."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from competitions.quizzes.models import Question
from tests.factories.quizzes import (
    QuestionBankFactory,
    QuestionCategoryFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db

QUESTION_ADD = "/admin/snippets/quizzes/question/add/"


def question_data(bank, kind="single", choices=None, stem="口罩应该多久更换一次？", **fields):
    choices = choices or [("4小时", True), ("一周", False)]
    return nested_form_data(
        {
            "bank": bank.pk,
            "category": fields.pop("category", ""),
            "difficulty": "easy",
            "kind": kind,
            "stem": stem,
            "explanation": "医用口罩连续佩戴不超过4小时。",
            "source": "",
            "is_active": "on",
            "choices": inline_formset(
                [
                    {"text": text, "is_correct": "on" if correct else "", "ORDER": str(i + 1)}
                    for i, (text, correct) in enumerate(choices)
                ],
                min=2,
                max=8,
            ),
            **fields,
        }
    )


def choice_errors(response) -> list[str]:
    return [str(e) for e in response.context["form"].formsets["choices"].non_form_errors()]


def test_a_valid_question_is_saved_with_its_choices(organiser_client):
    bank = QuestionBankFactory()

    response = organiser_client.post(QUESTION_ADD, question_data(bank))

    assert response.status_code == 302
    question = Question.objects.get(bank=bank)
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("4小时", True),
        ("一周", False),
    ]


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        ("single", [("甲", True), ("乙", True), ("丙", False)], "只勾选一个正确选项"),
        ("single", [("甲", False), ("乙", False)], "只勾选一个正确选项"),
        ("true_false", [("对", True), ("错", False), ("不确定", False)], "判断题只能有两个选项"),
        ("true_false", [("对", True), ("错", True)], "只勾选一个正确选项"),
        ("multiple", [("甲", True), ("乙", False), ("丙", False)], "至少要有两个正确选项"),
        ("multiple", [("甲", True), ("乙", True)], "至少要有一个错误选项"),
        ("single", [("甲", True), ("甲 ", False)], "选项不能重复"),
    ],
)
def test_choices_that_do_not_fit_the_question_type_are_refused(
    organiser_client, kind, choices, message
):
    bank = QuestionBankFactory()

    response = organiser_client.post(QUESTION_ADD, question_data(bank, kind, choices))

    assert response.status_code == 200
    assert any(message in error for error in choice_errors(response)), choice_errors(response)
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_the_same_stem_in_the_same_bank_is_refused_with_a_clear_message(organiser_client):
    bank = QuestionBankFactory()
    existing = QuestionFactory(bank=bank, stem="口罩应该多久更换一次？")

    response = organiser_client.post(
        QUESTION_ADD, question_data(bank, stem="口罩应该多久更换一次?")
    )

    assert response.status_code == 200
    message = response.context["form"].errors["stem"][0]
    assert "本题库已有这道题" in message
    assert str(existing.pk) in message
    assert Question.objects.count() == 1


def test_editing_a_question_keeps_its_own_stem(organiser_client):
    question = QuestionFactory(stem="口罩应该多久更换一次？")
    data = question_data(question.bank, explanation="新的解析")
    data["choices-INITIAL_FORMS"] = "0"

    response = organiser_client.post(f"/admin/snippets/quizzes/question/edit/{question.pk}/", data)

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.explanation == "新的解析"


def test_a_category_of_another_bank_is_refused(organiser_client):
    bank = QuestionBankFactory()
    elsewhere = QuestionCategoryFactory()

    response = organiser_client.post(QUESTION_ADD, question_data(bank, category=elsewhere.pk))

    assert response.status_code == 200
    assert "属于其他题库" in response.context["form"].errors["category"][0]
