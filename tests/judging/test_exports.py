"""The judging sheets of a contest's .xlsx export: every judge's points, totals and comments
per round, and the aggregated scores, checked against a known data set."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from competitions.judging.aggregation import aggregate_round
from competitions.judging.models import Assignment
from competitions.judging.scoring import save_score
from competitions.submissions.results import exports
from tests.factories.contests import EntryFactory
from tests.factories.judging import JudgingRoundFactory
from tests.factories.users import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def workbook(export):
    path = Path(settings.KEPU_PRIVATE_MEDIA_ROOT) / export.file.name
    book = load_workbook(path, read_only=True)
    return {
        sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book
    }


@pytest.fixture
def judged_round():
    """Rubric 内容 (weight 3, max 10) and 表达 (weight 1, max 5); two entries, two judges.

    Entry 1: ann 8 + 4 → 80.00 ("立意清楚"), bob 6 + 5 → 70.00; entry 2: ann's draft
    (内容 7, "还没看完"), bob has not started.
    """
    round = JudgingRoundFactory()
    first, second = (
        EntryFactory(contest=round.contest, number=1),
        EntryFactory(contest=round.contest, number=2),
    )
    ann, bob = UserFactory(username="judge_ann"), UserFactory(username="judge_bob")
    content, expression = round.rubric.criteria.order_by("sort_order")

    def assign(entry, judge):
        return Assignment.objects.create(round=round, entry=entry, judge=judge)

    save_score(
        assign(first, ann),
        {content.pk: Decimal(8), expression.pk: Decimal(4)},
        "立意清楚",
        submit=True,
    )
    save_score(
        assign(first, bob), {content.pk: Decimal(6), expression.pk: Decimal(5)}, "", submit=True
    )
    save_score(assign(second, ann), {content.pk: Decimal(7)}, "还没看完", submit=False)
    assign(second, bob)
    aggregate_round(round)
    return round, first, second


def export_of(contest, django_capture_on_commit_callbacks, **figures):
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(contest, StaffFactory(), **figures)
    export.refresh_from_db()
    return workbook(export)


def test_the_export_holds_every_judges_points_total_and_comment(
    judged_round, django_capture_on_commit_callbacks
):
    round, first, second = judged_round

    sheets = export_of(round.contest, django_capture_on_commit_callbacks)

    assert list(sheets) == ["作品清单", "评分与投票", "评委打分 · 初评", "专家评分汇总"]
    header, *rows = sheets["评委打分 · 初评"]
    assert header[:5] == ("作品编号", "组别", "评委", "内容（满分 10）", "表达（满分 5）")
    assert header[5:] == ("总分（0–100）", "状态", "评分提交时间", "评语")
    group = first.group.name
    assert [row[:7] for row in rows] == [
        (first.display_number, group, "judge_ann", 8, 4, 80, "已提交评分"),
        (first.display_number, group, "judge_bob", 6, 5, 70, "已提交评分"),
        (second.display_number, group, "judge_ann", 7, None, None, "草稿，未提交"),
        (second.display_number, group, "judge_bob", None, None, None, "尚未开始"),
    ]
    assert rows[0][8] == "立意清楚" and rows[1][8] is None and rows[2][8] == "还没看完"
    assert isinstance(rows[0][7], datetime.datetime) and rows[2][7] is None


def test_the_export_holds_the_aggregated_scores_and_uses_them_as_expert_scores(
    judged_round, django_capture_on_commit_callbacks
):
    round, first, second = judged_round

    sheets = export_of(round.contest, django_capture_on_commit_callbacks)

    header, *rows = sheets["专家评分汇总"]
    assert header[:7] == ("轮次", "作品编号", "组别", "评分数", "平均分", *header[5:7])
    by_number = {row[1]: row for row in rows}
    # Numbers Excel can sum and sort, not text.
    assert by_number[first.display_number][3:8] == (2, 75, 75, 75, 10)
    assert by_number[first.display_number][9] == 1
    assert by_number[second.display_number][3:5] == (0, None)
    scores = {row[0]: row for row in sheets["评分与投票"][1:]}
    assert scores[first.display_number][2] == 75
    assert scores[second.display_number][2] is None


def test_a_contest_without_judging_has_only_the_entry_and_score_sheets(
    django_capture_on_commit_callbacks,
):
    entry = EntryFactory()

    sheets = export_of(entry.contest, django_capture_on_commit_callbacks)

    assert list(sheets) == ["作品清单", "评分与投票"]


def test_authors_never_appear_in_the_judging_sheets(
    judged_round, django_capture_on_commit_callbacks
):
    round, first, second = judged_round
    names = {first.author.display_name, second.author.display_name, first.author.username}

    sheets = export_of(round.contest, django_capture_on_commit_callbacks)

    cells = {
        cell
        for title in ("评委打分 · 初评", "专家评分汇总")
        for row in sheets[title]
        for cell in row
    }
    assert not names & cells
