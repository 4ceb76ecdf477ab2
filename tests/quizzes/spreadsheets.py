"""Question files as organisers make them in Excel, for import tests."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

HEADERS = [
    "题型",
    "分类",
    "难度",
    "题干",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "正确答案",
    "解析",
    "来源",
]
GOOD_ROWS = [
    [
        "单选",
        "个人防护",
        "容易",
        "洗手至少要揉搓多少秒？",
        "5秒",
        "10秒",
        "20秒",
        "",
        "C",
        "七步洗手法。",
        "指南",
    ],
    [
        "多选",
        "个人防护",
        "中等",
        "哪些做法能预防流感？",
        "勤洗手",
        "戴口罩",
        "通风",
        "熬夜",
        "ABC",
        "",
        "",
    ],
    [
        "判断",
        "科学常识",
        "困难",
        "抗生素能治病毒性感冒。",
        "",
        "",
        "",
        "",
        "错误",
        "抗生素只对细菌有效。",
        "",
    ],
]


def xlsx_file(rows, headers=HEADERS, name="题库.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")


def csv_file(rows, headers=HEADERS, encoding="utf-8", name="题库.csv") -> SimpleUploadedFile:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def with_row(replacements: dict[str, str], base=None) -> list[str]:
    """A copy of the first good row with some columns changed, by header."""
    row = list(base or GOOD_ROWS[0])
    for header, value in replacements.items():
        row[HEADERS.index(header)] = value
    return row
