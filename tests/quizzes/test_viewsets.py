"""The 知识竞答 admin menu, the quiz and unit viewsets and who may use them (the bank and
question viewsets: banks/test_viewsets.py)."""

import json

import pytest
from django.contrib.auth.models import Group

from tests.factories.quizzes import QuizFactory, UnitFactory

pytestmark = pytest.mark.django_db


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
    quiz = QuizFactory()

    response = organiser_client.get(f"/admin/snippets/quizzes/quiz/edit/{quiz.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    header = html[html.index('<header class="w-slim-header') : html.index("</header>")]
    button = header[header.index(f'<a href="/admin/quiz-statistics/{quiz.pk}/"') :]
    assert "w-header-button" in button.split(">", 1)[0]
    assert "统计" in button.split("</a>", 1)[0]


def test_editors_without_the_permission_get_no_statistics_button(client, editor):
    quiz = QuizFactory()
    client.force_login(editor)

    response = client.get(f"/admin/snippets/quizzes/quiz/edit/{quiz.pk}/", follow=True)

    assert f"/admin/quiz-statistics/{quiz.pk}/" not in response.content.decode()
    assert client.get(f"/admin/quiz-statistics/{quiz.pk}/").status_code == 403
