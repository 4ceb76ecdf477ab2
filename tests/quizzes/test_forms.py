"""The quiz form in the admin, over HTTP as a 竞赛组织者 member."""

import datetime

import pytest
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from competitions.quizzes.models import Quiz
from tests.factories.quizzes import (
    QuestionBankFactory,
    QuestionCategoryFactory,
    QuestionFactory,
    make_bank,
)

pytestmark = pytest.mark.django_db

QUIZ_ADD = "/admin/snippets/quizzes/quiz/add/"


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")


def quiz_data(bank, rules=(), fixed=(), **fields):
    now = timezone.now()
    data = {
        "title": "防疫知识竞答",
        "bank": bank.pk,
        "opens_at": local(now),
        "closes_at": local(now + datetime.timedelta(days=7)),
        "questions_per_attempt": "5",
        "time_limit_seconds": "600",
        "attempts_per_day": "3",
        "attempts_total": "0",
        "sign_in_required": "on",
        "pass_mark": "60",
        "prize_rule": "none",
        "review_policy": "immediately",
        "unit_kind": "",
        "min_seconds_per_question": "2",
        "exclude_flagged_from_prizes": "on",
        "max_page_leaves": "0",
        "idle_timeout_seconds": "0",
        "draw_rules": inline_formset(
            [
                {
                    "category": category.pk if category else "",
                    "difficulty": difficulty,
                    "count": str(count),
                    "ORDER": str(i + 1),
                }
                for i, (category, difficulty, count) in enumerate(rules)
            ]
        ),
        "fixed_question_links": inline_formset(
            [{"question": q.pk, "ORDER": str(i + 1)} for i, q in enumerate(fixed)]
        ),
    }
    data.update(fields)
    return nested_form_data(data)


def formset_errors(response, name) -> list[str]:
    return [str(e) for e in response.context["form"].formsets[name].non_form_errors()]


def bank_with_categories():
    """防护: 3 easy + 2 hard; 常识: 2 easy; one inactive easy 防护 question."""
    bank = QuestionBankFactory()
    protect = QuestionCategoryFactory(bank=bank, name="防护")
    facts = QuestionCategoryFactory(bank=bank, name="常识")
    QuestionFactory.create_batch(3, bank=bank, category=protect, difficulty="easy")
    QuestionFactory.create_batch(2, bank=bank, category=protect, difficulty="hard")
    QuestionFactory.create_batch(2, bank=bank, category=facts, difficulty="easy")
    QuestionFactory(bank=bank, category=protect, difficulty="easy", is_active=False)
    return bank, protect, facts


def test_a_quiz_whose_quotas_can_be_filled_is_saved(organiser_client):
    bank, protect, _facts = bank_with_categories()

    response = organiser_client.post(
        QUIZ_ADD, quiz_data(bank, rules=[(protect, "easy", 3), (None, "", 4)])
    )

    assert response.status_code == 302, formset_errors(response, "draw_rules")
    assert Quiz.objects.get().draw_rules.count() == 2


def test_a_quota_with_too_few_questions_in_use_is_refused(organiser_client):
    bank, protect, _facts = bank_with_categories()

    response = organiser_client.post(QUIZ_ADD, quiz_data(bank, rules=[(protect, "easy", 4)]))

    assert response.status_code == 200
    errors = formset_errors(response, "draw_rules")
    assert "要抽 4 道题" in errors[0]
    assert "只有 3 道" in errors[0]
    assert not Quiz.objects.exists()


def test_overlapping_quotas_that_cannot_all_be_filled_are_refused(organiser_client):
    bank, protect, _facts = bank_with_categories()
    # Each alone fits (5 防护, 5 easy), but together they need 9 of the 7 questions in use
    # that are 防护 or easy.
    rules = [(protect, "", 5), (None, "easy", 4)]

    response = organiser_client.post(QUIZ_ADD, quiz_data(bank, rules=rules))

    assert response.status_code == 200
    assert "合计要抽 9 道题" in formset_errors(response, "draw_rules")[0]
    assert not Quiz.objects.exists()


def test_fixed_questions_must_come_from_the_quiz_bank_and_be_in_use(organiser_client):
    bank = make_bank(3)
    other = QuestionFactory()
    retired = QuestionFactory(bank=bank, is_active=False)

    response = organiser_client.post(QUIZ_ADD, quiz_data(bank, fixed=[other, retired]))

    errors = formset_errors(response, "fixed_question_links")
    assert response.status_code == 200
    assert any("来自其他题库" in e for e in errors)
    assert any("已停用" in e for e in errors)
    assert not Quiz.objects.exists()


def test_without_quotas_the_bank_needs_enough_questions(organiser_client):
    bank = make_bank(3)

    response = organiser_client.post(QUIZ_ADD, quiz_data(bank, questions_per_attempt="5"))

    assert response.status_code == 200
    assert "只有 3 道启用的题目" in response.context["form"].errors["questions_per_attempt"][0]


def test_a_quiz_must_close_after_it_opens(organiser_client):
    bank = make_bank(10)
    now = timezone.now()

    response = organiser_client.post(
        QUIZ_ADD,
        quiz_data(bank, opens_at=local(now), closes_at=local(now - datetime.timedelta(hours=1))),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["closes_at"]
    assert not Quiz.objects.exists()
