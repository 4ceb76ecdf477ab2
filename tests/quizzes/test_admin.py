"""The 知识竞答 admin menu, listings, the question chooser and who may use them."""

import json

import pytest
from django.contrib.auth.models import Group

from tests.factories.quizzes import (
    QuestionBankFactory,
    QuestionCategoryFactory,
    QuestionFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

QUESTIONS = "/admin/snippets/quizzes/question/"


def test_organisers_see_the_quiz_menu(organiser_client):
    html = organiser_client.get("/admin/").content.decode()

    # The sidebar menu is rendered from JSON, with non-ASCII escaped.
    assert json.dumps("知识竞答")[1:-1] in html
    assert "/admin/snippets/quizzes/questionbank/" in html
    assert "/admin/snippets/competitions/unit/" in html


def test_the_organiser_group_may_manage_banks_questions_quizzes_and_units_only():
    codenames = set(
        Group.objects.get(name="竞赛组织者").permissions.values_list("codename", flat=True)
    )

    assert {
        "access_admin",
        "add_question",
        "change_question",
        "delete_question",
        "add_questionbank",
        "change_quiz",
        "add_unit",
        "delete_unit",
    } <= codenames
    assert "add_page" not in codenames
    assert "change_user" not in codenames


def test_question_listing_searches_chinese_stems_within_filters(organiser_client):
    bank = QuestionBankFactory()
    QuestionFactory(bank=bank, stem="新冠病毒主要通过什么途径传播？", difficulty="hard")
    QuestionFactory(bank=bank, stem="流感病毒怎样传播？", difficulty="easy")
    QuestionFactory(stem="新冠疫苗需要接种几针？", difficulty="hard")

    response = organiser_client.get(QUESTIONS, {"q": "病毒", "bank": bank.pk, "difficulty": "hard"})

    assert response.status_code == 200
    stems = [q.stem for q in response.context["object_list"]]
    assert stems == ["新冠病毒主要通过什么途径传播？"]


def test_question_listing_shows_type_difficulty_and_category(organiser_client):
    category = QuestionCategoryFactory(name="个人防护")
    QuestionFactory(bank=category.bank, category=category, kind="single", difficulty="easy")

    html = organiser_client.get(QUESTIONS).content.decode()

    assert "个人防护" in html
    assert "单选题" in html or "单选" in html
    assert "容易" in html or "简单" in html


def test_the_bank_listing_counts_questions_and_links_import_and_export(organiser_client):
    bank = QuestionBankFactory(name="防疫知识题库")
    QuestionFactory.create_batch(3, bank=bank)

    html = organiser_client.get("/admin/snippets/quizzes/questionbank/").content.decode()

    assert "防疫知识题库" in html
    assert f"/admin/quiz-banks/banks/{bank.pk}/import/" in html
    assert f"/admin/quiz-banks/banks/{bank.pk}/export.xlsx" in html


def test_the_question_chooser_searches_stems_in_one_bank(organiser_client):
    bank = QuestionBankFactory()
    wanted = QuestionFactory(bank=bank, stem="七步洗手法的第一步是什么？")
    QuestionFactory(bank=bank, stem="口罩怎么戴？")
    QuestionFactory(stem="七步洗手法一共几步？")

    response = organiser_client.get(
        "/admin/snippets/choose/quizzes/question/results/", {"q": "洗手", "bank": bank.pk}
    )

    assert response.status_code == 200
    assert [q.pk for q in response.context["items"]] == [wanted.pk]


def test_content_editors_cannot_open_question_banks(client, editor):
    QuestionFactory()
    client.force_login(editor)

    for url in [
        QUESTIONS,
        "/admin/snippets/quizzes/questionbank/",
        "/admin/snippets/quizzes/question/add/",
    ]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "七步" not in response.content.decode()


def test_organisers_manage_units(organiser_client):
    UnitFactory(name="示范市第一中学")

    response = organiser_client.post(
        "/admin/snippets/competitions/unit/add/",
        {
            "kind": "region",
            "name": "示范市西湖区",
            "parent": "",
            "sort_order": "0",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    html = organiser_client.get("/admin/snippets/competitions/unit/").content.decode()
    assert "示范市第一中学" in html and "示范市西湖区" in html


def test_the_quiz_edit_view_header_links_to_its_statistics(organiser_client):
    from tests.factories.quizzes import QuizFactory

    quiz = QuizFactory()

    response = organiser_client.get(f"/admin/snippets/quizzes/quiz/edit/{quiz.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    header = html[html.index('<header class="w-slim-header') : html.index("</header>")]
    button = header[header.index(f'<a href="/admin/quiz-statistics/{quiz.pk}/"') :]
    assert "w-header-button" in button.split(">", 1)[0]
    assert "统计" in button.split("</a>", 1)[0]


def test_editors_without_the_permission_get_no_statistics_button(client, editor):
    from tests.factories.quizzes import QuizFactory

    quiz = QuizFactory()
    client.force_login(editor)

    response = client.get(f"/admin/snippets/quizzes/quiz/edit/{quiz.pk}/", follow=True)

    assert f"/admin/quiz-statistics/{quiz.pk}/" not in response.content.decode()
    assert client.get(f"/admin/quiz-statistics/{quiz.pk}/").status_code == 403
