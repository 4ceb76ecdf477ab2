"""Question banks in the admin: the bank and question listings, the question chooser, and
importing and exporting banks over HTTP, with who may use them."""

import io

import openpyxl
import pytest

from competitions.quizzes.models import Question
from tests.factories.quizzes import QuestionBankFactory, QuestionCategoryFactory, QuestionFactory
from tests.quizzes.spreadsheets import GOOD_ROWS, csv_file, with_row, xlsx_file

pytestmark = pytest.mark.django_db

QUESTIONS = "/admin/snippets/quizzes/question/"


def import_url(bank):
    return f"/admin/quiz-banks/banks/{bank.pk}/import/"


def test_an_organiser_imports_a_bank_over_http(organiser_client):
    bank = QuestionBankFactory()

    page = organiser_client.get(import_url(bank))
    response = organiser_client.post(import_url(bank), {"file": xlsx_file(GOOD_ROWS)}, follow=True)

    assert page.status_code == 200
    assert "下载模板" in page.content.decode()
    assert response.redirect_chain[-1][0] == f"/admin/snippets/quizzes/question/?bank={bank.pk}"
    assert "已导入 3 道题" in response.content.decode()
    assert Question.objects.filter(bank=bank).count() == 3


def test_a_bad_file_shows_every_problem_by_row_and_column_and_imports_nothing(organiser_client):
    bank = QuestionBankFactory()
    rows = [*GOOD_ROWS, with_row({"题干": "甲", "正确答案": "AB"}), with_row({"题干": ""})]

    response = organiser_client.post(import_url(bank), {"file": csv_file(rows)})

    assert response.status_code == 200
    html = response.content.decode()
    assert "没有导入任何题目" in html
    assert html.count("<tr data-import-error>") == 2
    assert "这种题型只有一个正确答案" in html
    assert "题干为空" in html
    errors = response.context["errors"]
    assert [(e.row, e.column) for e in errors] == [(5, "正确答案"), (6, "题干")]
    assert not Question.objects.filter(bank=bank).exists()


def test_a_text_file_named_xlsx_is_refused_over_http(organiser_client):
    bank = QuestionBankFactory()
    upload = xlsx_file([])
    upload.file = io.BytesIO("题型,题干\n单选,问题\n".encode())

    response = organiser_client.post(import_url(bank), {"file": upload})

    assert response.status_code == 200
    assert "既不是 Excel 工作簿" in response.content.decode()
    assert not Question.objects.exists()


def test_duplicates_in_the_bank_can_be_skipped(organiser_client):
    bank = QuestionBankFactory()
    QuestionFactory(bank=bank, stem=GOOD_ROWS[0][3])

    refused = organiser_client.post(import_url(bank), {"file": xlsx_file(GOOD_ROWS)})
    skipped = organiser_client.post(
        import_url(bank), {"file": xlsx_file(GOOD_ROWS), "skip_existing": "on"}, follow=True
    )

    assert "题库中已有这道题" in refused.content.decode()
    assert "1 道题已在题库中，已跳过" in skipped.content.decode()
    assert Question.objects.filter(bank=bank).count() == 3


def test_a_missing_file_is_a_form_error(organiser_client):
    response = organiser_client.post(import_url(QuestionBankFactory()), {})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_organiser_exports_a_bank_and_downloads_templates(organiser_client, file_format):
    bank = QuestionBankFactory()
    QuestionFactory(bank=bank, stem="洗手要多久？")

    export = organiser_client.get(f"/admin/quiz-banks/banks/{bank.pk}/export.{file_format}")
    template = organiser_client.get(f"/admin/quiz-banks/template.{file_format}")

    for response in (export, template):
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
    if file_format == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0]
        assert sheet["D2"].value == "洗手要多久？"
    else:
        assert "洗手要多久？" in export.content.decode("utf-8-sig")


def test_someone_without_quiz_permissions_is_refused(client, editor):
    bank = QuestionBankFactory()
    client.force_login(editor)

    responses = [
        client.get(import_url(bank)),
        client.post(import_url(bank), {"file": xlsx_file(GOOD_ROWS)}),
        client.get(f"/admin/quiz-banks/banks/{bank.pk}/export.xlsx"),
        client.get("/admin/quiz-banks/template.csv"),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert "只有竞赛组织者" in responses[0].content.decode()
    assert not Question.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    bank = QuestionBankFactory()

    response = client.post(import_url(bank), {"file": xlsx_file(GOOD_ROWS)})

    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not Question.objects.exists()


def test_an_unknown_bank_is_404(organiser_client):
    assert organiser_client.get("/admin/quiz-banks/banks/999999/import/").status_code == 404


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
