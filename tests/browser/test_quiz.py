import re

import pytest
from playwright.sync_api import expect

from competitions.quizzes.models import AnswerSave, Question, QuizAttempt
from tests.factories.quizzes import QuestionBankFactory, QuestionFactory, QuizFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def go_to(page, position):
    """Waits for question `position` to be shown with its script ready."""
    expect(page.get_by_text(f"第 {position} 题，共 5 题")).to_be_visible()
    page.wait_for_load_state("load")


def answer_current_question(page):
    page.locator(".quiz-option").first.click()
    expect(page.locator("[data-save-status]")).to_have_text("答案已保存")


def test_a_phone_takes_a_whole_quiz_reloading_midway(page, wagtail_tree):
    bank = QuestionBankFactory()
    # True-or-false questions keep their order, so the first option is the right one.
    QuestionFactory.create_batch(
        6, bank=bank, kind=Question.Kind.TRUE_FALSE, choices=[("正确", True), ("错误", False)]
    )
    quiz = QuizFactory(bank=bank, sign_in_required=False)
    form_posts = []
    page.on(
        "request",
        lambda request: (
            request.method == "POST"
            and "/quiz/a/" in request.url
            and not request.url.endswith("/save/")
            and form_posts.append(request.post_data or "")
        ),
    )
    page.goto(f"/quiz/{quiz.pk}/start/")
    page.get_by_role("button", name="开始答题").click()
    go_to(page, 1)

    answer_current_question(page)
    page.get_by_role("button", name="保存并下一题").click()
    go_to(page, 2)
    answer_current_question(page)
    page.get_by_role("button", name="保存并下一题").click()
    go_to(page, 3)

    page.reload()  # a dropped connection or a reload resumes the same attempt
    go_to(page, 3)
    expect(page.locator(".quiz-map__item--answered")).to_have_count(2)
    page.locator(".quiz-map__item", has_text=re.compile(r"^1$")).click()
    go_to(page, 1)
    expect(page.locator(".quiz-option input").first).to_be_checked()

    for position in (3, 4, 5):
        page.locator(".quiz-map__item", has_text=re.compile(rf"^{position}$")).click()
        go_to(page, position)
        answer_current_question(page)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()

    expect(page.locator(".quiz-score__number")).to_have_text("5 / 5")
    expect(page.get_by_text("答案与解析")).to_be_visible()
    assert QuizAttempt.objects.get().status == "submitted"
    # Each choice was saved once, by the autosave: moving on and submitting did not post the
    # confirmed choices again (the only form post is the submit, without options).
    assert AnswerSave.objects.count() == 5
    assert len(form_posts) == 1 and "option=" not in form_posts[0]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
