"""Question banks to spreadsheets, in the format importing.py reads, and blank templates.

Exporting a bank and importing the file into an empty bank gives the same questions (type,
category, difficulty, stem, choices in order with the correct ones, explanation, source).
Images are not part of the file.
"""

from collections.abc import Iterator

from competitions.core.spreadsheets import Sheet, csv_bytes, xlsx_bytes

from ..models import Question, QuestionBank
from .importing import (
    ANSWER,
    CATEGORY,
    DIFFICULTY,
    DIFFICULTY_WORDS,
    EXPLANATION,
    FALSE_WORD,
    HEADERS,
    KIND,
    KIND_WORDS,
    OPTION_LETTERS,
    OPTIONS,
    SOURCE,
    STEM,
    TEMPLATE_OPTIONS,
    TRUE_WORD,
)

COLUMN_WIDTHS = [8, 14, 8, 48, 20, 20, 20, 20, 20, 20, 10, 40, 20]

EXAMPLES = [
    ["单选", "个人防护", "容易", "正确洗手时，双手揉搓至少需要多长时间？",
     "5秒", "10秒", "20秒", "60秒", "", "", "C",
     "按“七步洗手法”揉搓双手不少于20秒，才能有效清除病原体。", "《公众卫生防护指南》"],
    ["多选", "个人防护", "中等", "下列哪些做法有助于预防呼吸道传染病？",
     "勤洗手", "咳嗽时用纸巾或肘部遮掩口鼻", "常开窗通风", "与他人共用毛巾", "", "", "ABC",
     "共用毛巾可能传播病原体，其余做法都有助于预防。", ""],
    ["判断", "科学常识", "容易", "抗生素对病毒性感冒有效。",
     "正确", "错误", "", "", "", "", "错误",
     "抗生素只对细菌起作用，对病毒无效，滥用会导致耐药。", ""],
]  # fmt: skip

EXPLANATIONS = [
    ["列名", "是否必填", "怎么填"],
    [KIND, "必填", "单选、多选或判断。"],
    [CATEGORY, "选填", "题目分类，如“个人防护”。题库里没有的分类会自动建立。"],
    [DIFFICULTY, "选填", "容易、中等或困难；不填按“中等”。"],
    [STEM, "必填", "题目内容，最多 500 字。同一题库里题干相同的题目不能重复导入。"],
    ["选项A～选项F", "至少填两个", "从选项A起依次填写，中间不能空。"
     "判断题可不填，默认为“正确”“错误”两项。选项多于 6 个时可加“选项G”“选项H”两列。"],
    [ANSWER, "必填", "正确选项的字母，如 A；多选题写全部正确选项，如 AC。"
     "单选题和判断题只有一个正确答案，多选题至少两个正确、至少一个错误。"
     f"判断题也可以写“{TRUE_WORD}”或“{FALSE_WORD}”。"],
    [EXPLANATION, "选填", "答题后给参赛者看的解析，说明为什么。"],
    [SOURCE, "选填", "出处，如文件或教材名称。"],
    ["", "", ""],
    ["说明", "", "第一行必须是列名，每题一行。导入前会检查每一行，只要有一处错误就一题也不导入，"
     "并按行号和列名列出问题。题干里的图片请导入后在后台逐题添加。"
     "可以保存为 .xlsx，或“CSV UTF-8（逗号分隔）”格式。"],
]  # fmt: skip


def _headers_for(max_choices: int) -> list[str]:
    options = OPTIONS[: max(len(TEMPLATE_OPTIONS), max_choices)]
    return [KIND, CATEGORY, DIFFICULTY, STEM, *options, ANSWER, EXPLANATION, SOURCE]


def _question_row(question: Question, option_count: int) -> list[str]:
    choices = list(question.choices.all())
    texts = [choice.text for choice in choices] + [""] * (option_count - len(choices))
    answer = "".join(
        OPTION_LETTERS[index] for index, choice in enumerate(choices) if choice.is_correct
    )
    return [
        KIND_WORDS[question.kind],
        question.category.name if question.category else "",
        DIFFICULTY_WORDS[question.difficulty],
        question.stem,
        *texts,
        answer,
        question.explanation,
        question.source,
    ]


def bank_rows(bank: QuestionBank) -> Iterator[list[str]]:
    """The header row, then one row per question of the bank (in use or not), oldest first."""
    questions = (
        Question.objects.filter(bank=bank)
        .select_related("category")
        .prefetch_related("choices")
        .order_by("pk")
    )
    questions = list(questions)
    widest = max((len(q.choices.all()) for q in questions), default=0)
    headers = _headers_for(widest)
    option_count = len(headers) - 7
    yield headers
    for question in questions:
        yield _question_row(question, option_count)


def bank_xlsx(bank: QuestionBank) -> bytes:
    return xlsx_bytes([Sheet("题目", bank_rows(bank), COLUMN_WIDTHS)])


def bank_csv(bank: QuestionBank) -> bytes:
    return csv_bytes(bank_rows(bank))


def template_xlsx() -> bytes:
    """The import template: headers, one example per question type, a sheet explaining it."""
    return xlsx_bytes(
        [
            Sheet(
                "题目",
                [HEADERS, *EXAMPLES],
                COLUMN_WIDTHS,
                choices={
                    HEADERS.index(KIND): list(KIND_WORDS.values()),
                    HEADERS.index(DIFFICULTY): list(DIFFICULTY_WORDS.values()),
                },
            ),
            Sheet("填写说明", EXPLANATIONS, [16, 12, 80]),
        ]
    )


def template_csv() -> bytes:
    return csv_bytes([HEADERS, *EXAMPLES])


def filename(bank: QuestionBank, extension: str) -> str:
    return f"question-bank-{bank.pk}.{extension}"
