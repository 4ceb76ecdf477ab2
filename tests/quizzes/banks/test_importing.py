import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backend

from competitions.quizzes.banks.exports import bank_csv, bank_xlsx, template_csv, template_xlsx
from competitions.quizzes.banks.importing import import_questions
from competitions.quizzes.models import Question, QuestionCategory
from tests.factories.quizzes import QuestionBankFactory, QuestionCategoryFactory, QuestionFactory
from tests.quizzes.spreadsheets import GOOD_ROWS, HEADERS, csv_file, with_row, xlsx_file

pytestmark = pytest.mark.django_db


def errors_of(result):
    return [(error.row, error.column) for error in result.errors]


def questions_as_data(bank):
    return [
        (
            q.kind,
            q.category.name if q.category else "",
            q.difficulty,
            q.stem,
            [(c.text, c.is_correct) for c in q.choices.all()],
            q.explanation,
            q.source,
        )
        for q in Question.objects.filter(bank=bank).order_by("pk").prefetch_related("choices")
    ]


def test_a_good_xlsx_file_imports_every_question_with_its_choices_and_categories():
    bank = QuestionBankFactory()

    result = import_questions(bank, xlsx_file(GOOD_ROWS))

    assert result.ok, result.errors
    assert result.created == 3
    assert sorted(result.categories_created) == ["个人防护", "科学常识"]
    assert questions_as_data(bank) == [
        (
            "single",
            "个人防护",
            "easy",
            "洗手至少要揉搓多少秒？",
            [("5秒", False), ("10秒", False), ("20秒", True)],
            "七步洗手法。",
            "指南",
        ),
        (
            "multiple",
            "个人防护",
            "medium",
            "哪些做法能预防流感？",
            [("勤洗手", True), ("戴口罩", True), ("通风", True), ("熬夜", False)],
            "",
            "",
        ),
        (
            "true_false",
            "科学常识",
            "hard",
            "抗生素能治病毒性感冒。",
            [("正确", False), ("错误", True)],
            "抗生素只对细菌有效。",
            "",
        ),
    ]


def test_imported_questions_are_found_by_the_search_index():
    bank = QuestionBankFactory()
    import_questions(bank, xlsx_file(GOOD_ROWS))

    results = get_search_backend().search(
        "抗生素能治病毒性感冒。", Question.objects.filter(bank=bank)
    )
    assert [q.stem for q in results] == ["抗生素能治病毒性感冒。"]


def test_imported_questions_count_in_their_categorys_usage(django_capture_on_commit_callbacks):
    bank = QuestionBankFactory()
    with django_capture_on_commit_callbacks(execute=True):
        result = import_questions(bank, xlsx_file(GOOD_ROWS))
    assert result.ok, result.errors

    category = QuestionCategory.objects.get(bank=bank, name="个人防护")
    using = {reference.object_id for reference in ReferenceIndex.get_references_to(category)}
    assert using == {str(pk) for pk in category.questions.values_list("pk", flat=True)}
    assert len(using) == 2


def test_existing_categories_are_reused():
    bank = QuestionBankFactory()
    existing = QuestionCategoryFactory(bank=bank, name="个人防护")

    result = import_questions(bank, xlsx_file(GOOD_ROWS))

    assert result.categories_created == ["科学常识"]
    assert Question.objects.filter(bank=bank, category=existing).count() == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_files_import_in_the_encodings_excel_saves(encoding):
    bank = QuestionBankFactory()

    result = import_questions(bank, csv_file(GOOD_ROWS, encoding=encoding))

    assert result.ok, result.errors
    assert Question.objects.filter(bank=bank).count() == 3
    assert Question.objects.get(bank=bank, kind="true_false").stem == "抗生素能治病毒性感冒。"


def test_a_tab_separated_unicode_text_file_imports():
    bank = QuestionBankFactory()
    text = "\r\n".join("\t".join(row) for row in [HEADERS, *GOOD_ROWS])
    upload = SimpleUploadedFile("题库.csv", text.encode("utf-16"))

    result = import_questions(bank, upload)

    assert result.ok, result.errors
    assert result.created == 3


def test_headers_may_use_common_other_names_and_a_title_row_above():
    bank = QuestionBankFactory()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["2024年防疫知识竞答题库"])
    sheet.append(["类型", "题目", "A", "B", "答案", "备注"])
    sheet.append(["单选题", "口罩应该多久更换一次？", "4小时", "一周", "A", "内部"])
    out = io.BytesIO()
    workbook.save(out)

    result = import_questions(bank, SimpleUploadedFile("x.xlsx", out.getvalue()))

    assert result.ok, result.errors
    assert result.ignored_columns == ["备注"]
    question = Question.objects.get(bank=bank)
    assert question.difficulty == "medium"
    assert question.category is None


@pytest.mark.parametrize(
    ("changes", "column", "message_part"),
    [
        ({"题干": ""}, "题干", "题干为空"),
        ({"题型": "填空"}, "题型", "不是题型"),
        ({"正确答案": "D"}, "正确答案", "选项D"),
        ({"正确答案": "AB"}, "正确答案", "只有一个正确"),
        ({"难度": "超难"}, "难度", "不是难度"),
        ({"正确答案": ""}, "正确答案", ""),
        ({"选项B": "", "选项C": "20秒", "正确答案": "C"}, "选项B", ""),
        ({"选项B": "5秒"}, "选项B", "选项A"),
    ],
)
def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_imported(
    changes, column, message_part
):
    bank = QuestionBankFactory()
    rows = [*GOOD_ROWS, with_row({**changes, "题干": changes.get("题干", "口罩多久换一次？")})]

    result = import_questions(bank, xlsx_file(rows))

    assert not result.ok
    assert errors_of(result) == [(5, column)]  # header is row 1, the bad row the fourth below
    assert message_part in result.errors[0].message
    assert not Question.objects.filter(bank=bank).exists()
    assert not QuestionCategory.objects.filter(bank=bank).exists()
    assert result.created == 0


def test_multiple_choice_needs_two_correct_and_one_wrong_option():
    bank = QuestionBankFactory()
    multiple = GOOD_ROWS[1]
    rows = [
        with_row({"题干": "甲", "正确答案": "A"}, multiple),
        with_row({"题干": "乙", "正确答案": "ABCD"}, multiple),
    ]

    result = import_questions(bank, csv_file(rows))

    assert errors_of(result) == [(2, "正确答案"), (3, "正确答案")]
    assert "两个正确" in result.errors[0].message
    assert "错误选项" in result.errors[1].message


def test_true_or_false_takes_words_or_letters_and_exactly_two_options():
    bank = QuestionBankFactory()
    tf = GOOD_ROWS[2]
    rows = [
        with_row({"题干": "甲", "正确答案": "对"}, tf),
        with_row({"题干": "乙", "正确答案": "B"}, tf),
        with_row(
            {"题干": "丙", "选项A": "是", "选项B": "否", "选项C": "不知道", "正确答案": "B"}, tf
        ),
    ]

    result = import_questions(bank, xlsx_file(rows))

    assert errors_of(result) == [(4, "选项C")]
    result = import_questions(bank, xlsx_file(rows[:2]))
    assert result.ok
    correct = [
        [c.text for c in q.choices.all() if c.is_correct]
        for q in Question.objects.filter(bank=bank).order_by("pk")
    ]
    assert correct == [["正确"], ["错误"]]


def test_every_bad_row_is_reported_not_only_the_first():
    bank = QuestionBankFactory()
    rows = [with_row({"题干": ""}), *GOOD_ROWS, with_row({"题干": "丁", "题型": "问答"})]

    result = import_questions(bank, csv_file(rows))

    assert errors_of(result) == [(2, "题干"), (6, "题型")]


def test_the_same_question_twice_in_the_file_names_the_first_row():
    bank = QuestionBankFactory()
    # Width, spaces and punctuation do not make a different question.
    again = with_row({"题干": "洗手至少要揉搓多少秒 ?"})

    result = import_questions(bank, xlsx_file([*GOOD_ROWS, again]))

    assert errors_of(result) == [(5, "题干")]
    assert "第 2 行" in result.errors[0].message
    assert not Question.objects.filter(bank=bank).exists()


def test_a_question_already_in_the_bank_is_an_error_unless_skipped():
    bank = QuestionBankFactory()
    existing = QuestionFactory(bank=bank, stem="哪些做法能预防流感？")

    result = import_questions(bank, xlsx_file(GOOD_ROWS))

    assert errors_of(result) == [(3, "题干")]
    assert str(existing.pk) in result.errors[0].message
    assert Question.objects.filter(bank=bank).count() == 1

    result = import_questions(bank, xlsx_file(GOOD_ROWS), skip_existing=True)

    assert result.ok
    assert (result.created, result.skipped_existing) == (2, 1)
    assert Question.objects.filter(bank=bank).count() == 3


def test_the_same_question_in_another_bank_is_not_a_duplicate():
    QuestionFactory(stem="哪些做法能预防流感？")
    bank = QuestionBankFactory()

    assert import_questions(bank, xlsx_file(GOOD_ROWS)).created == 3


def test_a_missing_required_column_is_reported_on_the_header_row():
    bank = QuestionBankFactory()
    headers = [h for h in HEADERS if h != "正确答案"]
    rows = [row[:8] + row[9:] for row in GOOD_ROWS]

    result = import_questions(bank, xlsx_file(rows, headers=headers))

    assert errors_of(result) == [(1, "正确答案")]


def test_too_many_rows_are_refused_before_checking_them(settings):
    settings.KEPU_QUIZ_IMPORT_MAX_ROWS = 2
    bank = QuestionBankFactory()

    result = import_questions(bank, xlsx_file(GOOD_ROWS))

    assert errors_of(result) == [(None, "")]
    assert "2" in result.errors[0].message
    assert not Question.objects.exists()


def test_a_file_too_large_is_refused(settings):
    settings.KEPU_QUIZ_IMPORT_MAX_BYTES = 1000
    bank = QuestionBankFactory()
    rows = [with_row({"题干": f"第{n}题", "解析": "很长的解析" * 20}) for n in range(20)]

    result = import_questions(bank, csv_file(rows))

    assert not result.ok
    assert "MB" in result.errors[0].message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("题库.xlsx", "题型,题干,选项A,选项B,正确答案\n单选,问,甲,乙,A\n".encode()),
        ("题库.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("题库.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("题库.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("题库.xlsx", b"PK\x03\x04 not really a zip"),
        ("题库.xlsx", b""),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused_with_a_message(name, content):
    bank = QuestionBankFactory()

    result = import_questions(bank, SimpleUploadedFile(name, content))

    assert errors_of(result) == [(None, "")]
    assert result.errors[0].message
    assert not Question.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    result = import_questions(QuestionBankFactory(), SimpleUploadedFile("a.xlsx", out.getvalue()))

    assert "Excel" in result.errors[0].message


@pytest.mark.parametrize(("export", "name"), [(bank_xlsx, "x.xlsx"), (bank_csv, "x.csv")])
def test_export_then_import_into_an_empty_bank_gives_the_same_questions(export, name):
    source = QuestionBankFactory()
    assert import_questions(source, xlsx_file(GOOD_ROWS)).ok
    QuestionFactory(
        bank=source,
        stem="=1+1 等于几？",
        choices=[("-2", False), ("2", True), ("+2", False), ("@", False), ("a", False),
                 ("b", False), ("c", False)],
    )  # fmt: skip
    target = QuestionBankFactory()

    result = import_questions(target, SimpleUploadedFile(name, export(source)))

    assert result.ok, result.errors
    assert questions_as_data(target) == questions_as_data(source)


@pytest.mark.parametrize(("template", "name"), [(template_xlsx, "t.xlsx"), (template_csv, "t.csv")])
def test_the_templates_import_as_they_are(template, name):
    bank = QuestionBankFactory()

    result = import_questions(bank, SimpleUploadedFile(name, template()))

    assert result.ok, result.errors
    assert sorted(Question.objects.filter(bank=bank).values_list("kind", flat=True)) == [
        "multiple",
        "single",
        "true_false",
    ]


def test_the_xlsx_template_explains_its_columns_on_a_second_sheet():
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))

    assert workbook.sheetnames == ["题目", "填写说明"]
    explained = {row[0] for row in workbook["填写说明"].iter_rows(values_only=True)}
    assert {"题型", "难度", "题干", "正确答案", "解析"} <= explained
