"""The item analysis as an .xlsx workbook: numbers stay numbers (shares formatted as percent).

Sheets: 题目分析 (one row per question), 试卷 (attempts, α, the 27 % groups) and 说明 (what
each column means). Small (one row per question), so it is built on request.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .figures import LETTERS, Analysis

PERCENT = "0.0%"
DECIMAL = "0.00"


def _cell(sheet, value, number_format: str | None = None):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text stays text: nobody plants a formula
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def workbook_bytes(analysis: Analysis, quiz_title: str) -> bytes:
    """The analysis as .xlsx bytes."""
    workbook = Workbook(write_only=True)
    width = max((len(item.options) for item in analysis.items), default=4)
    sheet = workbook.create_sheet(_("Item analysis"))
    sheet.append(
        [
            _("Question ID"),
            _("Question"),
            _("Drawn"),
            _("Correct"),
            _("Correct rate"),
            _("Discrimination"),
            _("Point-biserial"),
            _("Unanswered"),
            _("Right option"),
            *[_("Option %(letter)s") % {"letter": LETTERS[i]} for i in range(width)],
            *[_("Place %(letter)s") % {"letter": LETTERS[i]} for i in range(width)],
            _("Position χ²"),
            _("Needs attention"),
        ]
    )
    for item in analysis.items:
        shares = [option.share for option in item.options] + [None] * (width - len(item.options))
        places = item.position_shares + [None] * (width - len(item.position_shares))
        sheet.append(
            [
                _cell(sheet, item.question_id),
                _cell(sheet, item.stem),
                _cell(sheet, item.drawn),
                _cell(sheet, item.correct),
                _cell(sheet, item.facility, PERCENT),
                _cell(sheet, item.discrimination, DECIMAL),
                _cell(sheet, item.point_biserial, DECIMAL),
                _cell(sheet, item.unanswered, PERCENT),
                _cell(sheet, "".join(option.letter for option in item.options if option.correct)),
                *[_cell(sheet, share, PERCENT) for share in shares[:width]],
                *[_cell(sheet, share, PERCENT) for share in places[:width]],
                _cell(sheet, item.position_chi2, DECIMAL),
                _cell(sheet, "；".join(item.flag_texts)),
            ]
        )
    paper = workbook.create_sheet(_("Paper"))
    paper.append([_("Quiz"), quiz_title])
    paper.append([_("Finished attempts"), analysis.attempts])
    paper.append([_("Reliability (Cronbach's α)"), _cell(paper, analysis.alpha, DECIMAL)])
    paper.append([_("Upper group: score from"), analysis.upper_from])
    paper.append([_("Lower group: score up to"), analysis.lower_to])
    notes = workbook.create_sheet(_("Explanations"))
    for term, text in EXPLANATIONS():
        notes.append([term, text])
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()


def EXPLANATIONS():
    return [
        (_("Correct rate"), _("Share of the attempts that drew the question and got it right.")),
        (
            _("Discrimination"),
            _("Correct rate of the best 27% of attempts minus that of the weakest 27%."),
        ),
        (
            _("Point-biserial"),
            _("Correlation between getting the question right and the score on the others."),
        ),
        (_("Option"), _("Share of the attempts that chose the option (A, B, … as in the bank).")),
        (_("Place"), _("Share of the choices made at each place on the screen (1st, 2nd, …).")),
        (_("Position χ²"), _("Above the critical value (p < 0.001): choices pile up at a place.")),
        (
            _("Reliability (Cronbach's α)"),
            _("Fixed papers only: how consistently the questions measure the same knowledge."),
        ),
    ]
