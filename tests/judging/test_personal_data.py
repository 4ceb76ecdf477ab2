"""A judge's own data in their account export: profile, panels, reminders and their own
score sheets, with entries named only by their blind number."""

import json
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone

from accounts.exports import write_export
from competitions.judging.models import JudgeReminder
from competitions.judging.scoring import save_score
from tests.factories.judging import (
    AssignmentFactory,
    JudgeFactory,
    JudgingPanelFactory,
    JudgingRoundFactory,
)
from tests.factories.quizzes import UnitFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def export_of(user) -> dict:
    buffer = BytesIO()
    write_export(user, buffer)
    return json.loads(zipfile.ZipFile(buffer).read("data.json"))


@pytest.fixture
def judged():
    round = JudgingRoundFactory()
    judge = JudgeFactory(school=UnitFactory(name="示范市第一中学")).user
    colleague = UserFactory(username="colleague")
    JudgingPanelFactory(round=round, judges=[judge, colleague])
    mine = AssignmentFactory(
        round=round, judge=judge, entry__title="蝴蝶的一生", entry__text="毛毛虫变成蝴蝶。"
    )
    theirs = AssignmentFactory(round=round, judge=colleague, entry=mine.entry)
    criteria = {c.name: c.pk for c in round.rubric.criteria.all()}
    points = {criteria["内容"]: Decimal(8), criteria["表达"]: Decimal(4)}
    save_score(mine, points, "观察细致。", submit=True)
    points = {criteria["内容"]: Decimal(2), criteria["表达"]: Decimal(1)}
    save_score(theirs, points, "偏题。", submit=True)
    JudgeReminder.objects.create(round=round, judge=judge, sent_at=timezone.now())
    return judge, mine


def test_a_judge_gets_their_profile_panels_reminders_and_own_score_sheets(judged):
    judge, assignment = judged

    data = export_of(judge)["judging"]

    assert data["judge_profile"] == {"school": "示范市第一中学"}
    assert [panel["round"] for panel in data["panels"]] == ["初评"]
    assert len(data["reminders"]) == 1
    (sheet,) = data["assignments"]
    assert sheet["entry_number"] == assignment.entry.display_number
    score = sheet["score_sheet"]
    assert (score["status"], score["comment"]) == ("submitted", "观察细致。")
    assert {p["criterion"]: p["points"] for p in score["points"]} == {"内容": "8.0", "表达": "4.0"}


def test_a_judges_export_says_nothing_of_the_pupil_or_the_other_judges(judged):
    judge, assignment = judged

    text = json.dumps(export_of(judge), ensure_ascii=False)

    author = assignment.entry.author
    for foreign in ("蝴蝶的一生", "毛毛虫", author.username, author.email, "colleague", "偏题"):
        assert foreign not in text


def test_someone_who_never_judged_has_no_judging_section():
    assert "judging" not in export_of(UserFactory())
