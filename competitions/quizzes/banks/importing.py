"""Question banks from spreadsheets: read .xlsx or .csv, check every row, import all or nothing.

Organisers prepare banks in Excel. A file has one header row (Chinese headers, see
`HEADERS`) and one question per row. `import_questions()` checks every row before writing
anything and reports each problem by the row number Excel shows and the column header, so
the organiser can fix the file and upload it again. Uploads are read in memory and never
stored.
"""

import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import update_reference_index_on_save

from competitions.core.spreadsheets import SpreadsheetError, Table, read_table

from .. import papers
from ..models import Choice, Difficulty, Question, QuestionBank, QuestionCategory
from ..models.banks import stem_fingerprint

# --- the file format (shared with exports.py) --------------------------------------------
# Headers and cell words are part of the file format, not of the UI language.
KIND, CATEGORY, DIFFICULTY, STEM = "题型", "分类", "难度", "题干"
OPTION_LETTERS = "ABCDEFGH"
OPTIONS = [f"选项{letter}" for letter in OPTION_LETTERS]
TEMPLATE_OPTIONS = OPTIONS[:6]
ANSWER, EXPLANATION, SOURCE = "正确答案", "解析", "来源"
HEADERS = [KIND, CATEGORY, DIFFICULTY, STEM, *TEMPLATE_OPTIONS, ANSWER, EXPLANATION, SOURCE]
REQUIRED_HEADERS = [KIND, STEM, ANSWER, OPTIONS[0], OPTIONS[1]]

# Other spellings organisers use for the same column.
HEADER_ALIASES = {
    "类型": KIND,
    "题目类型": KIND,
    "类别": CATEGORY,
    "难易程度": DIFFICULTY,
    "难易度": DIFFICULTY,
    "题目": STEM,
    "题目内容": STEM,
    "答案": ANSWER,
    "参考答案": ANSWER,
    "答案解析": EXPLANATION,
    "出处": SOURCE,
    **dict(zip(OPTION_LETTERS, OPTIONS, strict=True)),
}

KIND_WORDS = {
    Question.Kind.SINGLE: "单选",
    Question.Kind.MULTIPLE: "多选",
    Question.Kind.TRUE_FALSE: "判断",
}
KIND_ALIASES = {
    **{word: kind for kind, word in KIND_WORDS.items()},
    **{word + "题": kind for kind, word in KIND_WORDS.items()},
    "单项选择": Question.Kind.SINGLE,
    "单项选择题": Question.Kind.SINGLE,
    "多项选择": Question.Kind.MULTIPLE,
    "多项选择题": Question.Kind.MULTIPLE,
    "是非": Question.Kind.TRUE_FALSE,
    "是非题": Question.Kind.TRUE_FALSE,
}
DIFFICULTY_WORDS = {Difficulty.EASY: "容易", Difficulty.MEDIUM: "中等", Difficulty.HARD: "困难"}
DIFFICULTY_ALIASES = {
    **{word: value for value, word in DIFFICULTY_WORDS.items()},
    "简单": Difficulty.EASY,
    "易": Difficulty.EASY,
    "一般": Difficulty.MEDIUM,
    "中": Difficulty.MEDIUM,
    "难": Difficulty.HARD,
    "较难": Difficulty.HARD,
}
TRUE_WORD, FALSE_WORD = "正确", "错误"
TRUE_ALIASES = {TRUE_WORD, "对", "是", "√", "✓", "T", "TRUE", "Y", "YES"}
FALSE_ALIASES = {FALSE_WORD, "错", "否", "×", "✗", "X", "F", "FALSE", "N", "NO"}

MAX_LENGTHS = {
    STEM: 500,
    CATEGORY: 60,
    EXPLANATION: 2000,
    SOURCE: 200,
    **dict.fromkeys(OPTIONS, 200),
}


@dataclass(frozen=True)
class RowError:
    """One problem: `row` as Excel numbers it (None for the whole file), the column header."""

    row: int | None
    column: str
    message: str


@dataclass
class ParsedQuestion:
    row: int
    kind: str
    category: str
    difficulty: str
    stem: str
    choices: list[tuple[str, bool]]
    explanation: str
    source: str

    @property
    def fingerprint(self) -> str:
        return stem_fingerprint(self.stem)


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    skipped_existing: int = 0
    categories_created: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _normal_header(text: str) -> str:
    key = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    return HEADER_ALIASES.get(key, key)


def _is_header(cells: list[str]) -> bool:
    return STEM in {_normal_header(cell) for cell in cells}


def read_questions_table(upload) -> Table:
    """The rows of an uploaded .xlsx or .csv question file (see core.spreadsheets)."""
    return read_table(
        upload,
        is_header=_is_header,
        max_rows=settings.KEPU_QUIZ_IMPORT_MAX_ROWS,
        max_bytes=settings.KEPU_QUIZ_IMPORT_MAX_BYTES,
    )


# --- checking rows -------------------------------------------------------------------------------


def parse_table(table: Table) -> tuple[list[ParsedQuestion], list[RowError], list[str]]:
    """Every row checked: (questions, errors, ignored column headers).

    Duplicate stems within the file are errors naming the earlier row.
    """
    errors: list[RowError] = []
    columns: dict[str, int] = {}
    ignored = []
    for index, header in enumerate(table.headers):
        key = _normal_header(header)
        if not key:
            continue
        if key in columns:
            errors.append(
                RowError(
                    table.header_row,
                    header,
                    _("The column “%(column)s” appears twice.") % {"column": key},
                )
            )
        elif key in MAX_LENGTHS or key in (KIND, DIFFICULTY, ANSWER):
            columns[key] = index
        else:
            ignored.append(header)
    for required in REQUIRED_HEADERS:
        if required not in columns:
            errors.append(
                RowError(
                    table.header_row,
                    required,
                    _("The column “%(column)s” is missing.") % {"column": required},
                )
            )
    if errors:
        return [], errors, ignored

    labels = {key: table.headers[index] or key for key, index in columns.items()}
    table.labels = labels
    questions, first_row_of = [], {}
    for number, cells in table.rows:
        row = {key: cells[index] if index < len(cells) else "" for key, index in columns.items()}
        question = _parse_row(number, row, errors)
        if question is None:
            continue
        earlier = first_row_of.setdefault(question.fingerprint, number)
        if earlier != number:
            errors.append(
                RowError(
                    number,
                    STEM,
                    _("The same question as in row %(row)d.") % {"row": earlier},
                )
            )
            continue
        questions.append(question)
    errors = [RowError(e.row, labels.get(e.column, e.column), e.message) for e in errors]
    return questions, errors, ignored


def _parse_row(number: int, row: dict[str, str], errors: list[RowError]) -> ParsedQuestion | None:
    found = []

    def error(column, message):
        found.append(RowError(number, column, message))

    for column, limit in MAX_LENGTHS.items():
        if len(row.get(column, "")) > limit:
            error(
                column,
                _("Too long: at most %(limit)d characters, this has %(length)d.")
                % {"limit": limit, "length": len(row[column])},
            )

    kind_text = _word(row[KIND])
    kind = KIND_ALIASES.get(kind_text)
    if not kind_text:
        error(KIND, _("Empty. Write 单选, 多选 or 判断."))
    elif kind is None:
        error(
            KIND,
            _("“%(value)s” is not a question type. Write 单选, 多选 or 判断.")
            % {"value": row[KIND]},
        )

    difficulty_text = _word(row.get(DIFFICULTY, ""))
    difficulty = DIFFICULTY_ALIASES.get(
        difficulty_text, Difficulty.MEDIUM if not difficulty_text else None
    )
    if difficulty is None:
        error(
            DIFFICULTY,
            _("“%(value)s” is not a difficulty. Write 容易, 中等 or 困难.")
            % {"value": row[DIFFICULTY]},
        )

    stem = row[STEM]
    if not stem:
        error(STEM, _("The question text is empty."))

    options = [row.get(column, "") for column in OPTIONS]
    while options and not options[-1]:
        options.pop()
    if kind == Question.Kind.TRUE_FALSE and not options:
        options = [TRUE_WORD, FALSE_WORD]
    for index, text in enumerate(options):
        if not text:
            error(
                OPTIONS[index],
                _(
                    "Empty, but a later option is filled in. "
                    "Fill in the options from A on, without gaps."
                ),
            )
    seen = {}
    for index, text in enumerate(options):
        key = unicodedata.normalize("NFKC", text).casefold()
        if text and key in seen:
            error(
                OPTIONS[index],
                _("The same text as option %(letter)s.") % {"letter": OPTION_LETTERS[seen[key]]},
            )
        seen.setdefault(key, index)
    if kind == Question.Kind.TRUE_FALSE and len(options) != 2:
        error(
            OPTIONS[min(len(options), 2)],
            _("A true-or-false question has exactly two options (A and B)."),
        )
    elif kind and len(options) < 2:
        error(OPTIONS[len(options)], _("A question needs at least two options."))

    correct = _parse_answer(row[ANSWER], kind, options, error) if kind else None
    if found:
        errors.extend(found)
        return None
    return ParsedQuestion(
        row=number,
        kind=kind,
        category=row.get(CATEGORY, ""),
        difficulty=difficulty,
        stem=stem,
        choices=[(text, index in correct) for index, text in enumerate(options)],
        explanation=row.get(EXPLANATION, ""),
        source=row.get(SOURCE, ""),
    )


def _word(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def _parse_answer(text: str, kind: str, options: list[str], error) -> set[int] | None:
    """The indexes of the correct options, or None after reporting the problem."""
    answer = _word(text)
    for separator in ",，、;；/":
        answer = answer.replace(separator, "")
    if not answer:
        error(ANSWER, _("Empty. Write the letter of the correct option, such as A or AC."))
        return None
    if kind == Question.Kind.TRUE_FALSE and answer not in {"A", "B"}:
        word = (
            TRUE_WORD if answer in TRUE_ALIASES else FALSE_WORD if answer in FALSE_ALIASES else None
        )
        normal = [unicodedata.normalize("NFKC", option) for option in options]
        if word in normal:
            return {normal.index(word)}
        error(
            ANSWER,
            _(
                "“%(value)s” is not an answer to a true-or-false question. "
                "Write 正确 or 错误 (or A or B)."
            )
            % {"value": text},
        )
        return None
    letters = set(answer)
    unknown = letters - set(OPTION_LETTERS)
    if unknown:
        error(
            ANSWER,
            _("“%(value)s” is not an answer. Write option letters, such as A or AC.")
            % {"value": text},
        )
        return None
    missing = sorted(letter for letter in letters if OPTION_LETTERS.index(letter) >= len(options))
    if missing:
        error(
            ANSWER,
            _("The answer names option %(letters)s, which is empty.")
            % {"letters": "".join(missing)},
        )
        return None
    indexes = {OPTION_LETTERS.index(letter) for letter in letters}
    if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE) and len(indexes) != 1:
        error(
            ANSWER,
            _("This question type has exactly one correct option, the answer names %(count)d.")
            % {"count": len(indexes)},
        )
        return None
    if kind == Question.Kind.MULTIPLE:
        if len(indexes) < 2:
            error(ANSWER, _("A multiple-choice question has at least two correct options."))
            return None
        if len(indexes) == len(options):
            error(ANSWER, _("A multiple-choice question needs at least one wrong option."))
            return None
    return indexes


# --- importing ------------------------------------------------------------------------------------


def _category_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().casefold()


def import_questions(bank: QuestionBank, upload, *, skip_existing: bool = False) -> ImportResult:
    """Imports every question of an uploaded .xlsx or .csv file into `bank`, or none.

    Guarantees: every row is checked before anything is written; if any row has a problem
    (or, unless `skip_existing`, a question is already in the bank), nothing changes and
    `errors` names each problem by Excel row number and column header. Otherwise all
    questions, their choices and any new categories are created in one transaction, under a
    lock on the bank so two imports into one bank do not interleave. The upload is not kept.
    """
    result = ImportResult()
    try:
        table = read_questions_table(upload)
    except SpreadsheetError as exc:
        result.errors.append(RowError(None, "", exc.message))
        return result
    questions, result.errors, result.ignored_columns = parse_table(table)
    if result.errors:
        return result
    try:
        with transaction.atomic():
            _create(bank, questions, result, skip_existing, table.labels.get(STEM, STEM))
            if result.errors:
                transaction.set_rollback(True)
    except IntegrityError:
        # Someone saved the same question in the admin while the file was imported.
        result.errors = [
            RowError(None, "", _("The bank changed during the import. Upload the file again."))
        ]
    if result.errors:
        result.created, result.skipped_existing, result.categories_created = 0, 0, []
    return result


def _create(bank, questions, result: ImportResult, skip_existing: bool, stem_label: str) -> None:
    QuestionBank.objects.select_for_update().get(pk=bank.pk)
    existing = dict(
        Question.objects.filter(
            bank=bank, fingerprint__in=[question.fingerprint for question in questions]
        ).values_list("fingerprint", "pk")
    )
    if existing and not skip_existing:
        result.errors = [
            RowError(
                question.row,
                stem_label,
                _("This question is already in the bank (question %(id)d).")
                % {"id": existing[question.fingerprint]},
            )
            for question in questions
            if question.fingerprint in existing
        ]
        return
    new = [question for question in questions if question.fingerprint not in existing]
    result.skipped_existing = len(questions) - len(new)

    categories = {_category_key(c.name): c for c in QuestionCategory.objects.filter(bank=bank)}
    for question in new:
        key = _category_key(question.category)
        if key and key not in categories:
            categories[key] = QuestionCategory.objects.create(bank=bank, name=question.category)
            result.categories_created.append(question.category)

    created = Question.objects.bulk_create(
        [
            Question(
                bank=bank,
                kind=question.kind,
                category=categories.get(_category_key(question.category)),
                difficulty=question.difficulty,
                stem=question.stem,
                explanation=question.explanation,
                source=question.source,
                fingerprint=question.fingerprint,
            )
            for question in new
        ]
    )
    Choice.objects.bulk_create(
        [
            Choice(question=saved, text=text, is_correct=correct, sort_order=order)
            for saved, question in zip(created, new, strict=True)
            for order, (text, correct) in enumerate(question.choices)
        ]
    )
    _index(created)
    papers.bank_changed(bank.pk)
    result.created = len(created)


def _index(questions: list[Question]) -> None:
    """Does for bulk-created questions what saving each would: adds them to Wagtail's search
    index and asks for their reference-index rows (a category's "usage" in the admin counts
    its questions), through Wagtail's own after-commit task, which honours
    `disable_reference_index_auto_update`."""
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(Question, questions)
    if Question in ReferenceIndex.tracked_models:
        for question in questions:
            update_reference_index_on_save(question)
