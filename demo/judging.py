"""Demo judging (after the demo contests exist): judges in panels, their
assignments and score sheets with comments.

- The reading-review contest (results published): one closed round whose submitted scores
  average exactly to each review's demo score, so `publish_contest_results` publishes the
  same awards the demo shows (one review's judges disagree enough to be flagged).
- The short-video contest (still in review): an open round with partial progress — some
  sheets submitted, some drafts, some untouched — and one earlier reminder.

Idempotent: a contest that already has a judging round is left as it is. Demo judges get
unusable passwords (nobody can sign in as them); all names and comments are invented.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from competitions.judging.aggregation import aggregate_round
from competitions.judging.assignment import assign_entries
from competitions.judging.models import (
    Assignment,
    Criterion,
    CriterionScore,
    Judge,
    JudgeReminder,
    JudgingPanel,
    JudgingRound,
    Rubric,
    Score,
)
from competitions.judging.scoring import save_score, weighted_total
from competitions.submissions.models import Contest, ContestPage, Entry

from . import contests as contest_demo
from .datafiles import toml

DAY = datetime.timedelta(days=1)

# (username, display name, school whose pupils they may not judge)
JUDGES = [
    ("demo-judge-1", "林教授", None),
    ("demo-judge-2", "高老师", "南湖区实验小学"),
    ("demo-judge-3", "方研究员", None),
    ("demo-judge-4", "韩老师", "高新区育才中学"),
    ("demo-judge-5", "秦编审", None),
    ("demo-judge-6", "袁工程师", None),
]
# Four judges per group, so a judge from an author's school can always be left out.
PANELS = {"小学组": [0, 1, 2, 4], "初中组": [2, 3, 4, 5]}

READING_RUBRIC = [
    ("思想内容", 40, "是否读懂了绘本，感悟是否真实、具体"),
    ("语言表达", 30, "语句通顺，条理清楚，用自己的话来写"),
    ("创意与联系生活", 30, "能否联系自己的生活，有没有独特的想法"),
]
VIDEO_RUBRIC = [
    ("科学性", 40, "讲述的事实准确，不夸大、不杜撰"),
    ("表现力", 30, "主题鲜明，能打动观众"),
    ("制作质量", 30, "画面清晰，声音清楚，剪辑流畅"),
]
# Each review's three judges differ from its demo score by these amounts (they cancel out,
# so the mean is the demo score); the review with index DISAGREEING gets a wide spread.
OFFSETS = [Decimal("1.5"), Decimal("0"), Decimal("-1.5")]
WIDE_OFFSETS = [Decimal("16"), Decimal("0"), Decimal("-16")]
DISAGREEING = 3
READING_COMMENTS = [
    "能结合自己的生活写感受，真实可信。",
    "对绘本内容理解准确，结尾的行动计划很具体。",
    "语言朴实，如果能多写一点自己的思考会更好。",
    "抓住了科学家坚持不懈的品质，条理清楚。",
    "开头引用书中情节很自然，感悟部分略显简单。",
    "想法新颖，把书中的故事和自己的学习联系得很好。",
]
VIDEO_BASE_TOTALS = [Decimal(v) for v in ("84", "88.5", "79", "91", "86", "82.5")]
VIDEO_COMMENTS = [
    "选题贴近生活，讲解清楚，结尾可以再精炼一些。",
    "画面有创意，个别科学表述需要再核实。",
    "采访内容真实感人，收音有些杂音。",
]
DRAFT_COMMENT = "看了一半，稍后补充。"


def judges() -> list[User]:
    units = contest_demo.schools()
    users = []
    for index, (username, name, school) in enumerate(JUDGES):
        # Adults: the age gate (birth year and month) lets them into the judge workspace.
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": name,
                "birth_year": 1968 + 3 * index,
                "birth_month": 1 + 2 * index,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Judge.objects.get_or_create(
            user=user, defaults={"school": units[school] if school else None}
        )
        users.append(user)
    return users


def _round(contest: Contest, spec, name: str, opens_at, closes_at) -> JudgingRound:
    rubric = Rubric.objects.create(contest=contest, name=f"{name}评分标准")
    for order, (criterion, max_points, help_text) in enumerate(spec):
        Criterion.objects.create(
            rubric=rubric,
            name=criterion,
            help_text=help_text,
            weight=Decimal(max_points),
            max_points=max_points,
            sort_order=order,
        )
    return JudgingRound.objects.create(
        contest=contest,
        number=1,
        name=name,
        rubric=rubric,
        opens_at=opens_at,
        closes_at=closes_at,
        basis=JudgingRound.Basis.TRIMMED,
        advance_count=3,
    )


def _panels(round: JudgingRound, users: list[User]) -> None:
    for group in round.contest.groups.all():
        panel = JudgingPanel.objects.create(round=round, group=group, name=f"{group.name}评审组")
        panel.judges.set([users[index] for index in PANELS[group.name]])
    assign_entries(round)


def split_points(total: Decimal, criteria: list[Criterion]) -> dict[int, Decimal]:
    """Points per criterion in steps of 0.5 that add up to `total`, where the weights equal
    the maximum points (so the weighted total on 0–100 is the plain sum)."""
    points: dict[int, Decimal] = {}
    rest = total
    for criterion in criteria[:-1]:
        share = total * criterion.max_points / 100
        value = min((share * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2, rest)
        points[criterion.pk] = value
        rest -= value
    points[criteria[-1].pk] = rest
    return points


def _entry_assignments(round: JudgingRound) -> dict[int, list[Assignment]]:
    by_entry: dict[int, list[Assignment]] = {}
    for assignment in Assignment.objects.filter(round=round).order_by("entry__number", "judge_id"):
        by_entry.setdefault(assignment.entry_id, []).append(assignment)
    return by_entry


def judge_reading_contest(contest: Contest, users: list[User]) -> None:
    """A closed round whose submitted totals average to each review's demo score."""
    now = timezone.now()
    round = _round(
        contest, READING_RUBRIC, "专家评审", contest.submission_closes_at + DAY, now - 26 * DAY
    )
    _panels(round, users)
    criteria = list(round.rubric.criteria.all())
    targets = {
        number + 1: Decimal(str(item["score"]))
        for number, item in enumerate(toml("contests")["reading_reviews"])
    }
    entries = dict(Entry.objects.filter(contest=contest).values_list("pk", "number"))
    for entry_id, assignments in _entry_assignments(round).items():
        number = entries[entry_id]
        offsets = WIDE_OFFSETS if number - 1 == DISAGREEING else OFFSETS
        for index, assignment in enumerate(assignments):
            points = split_points(targets[number] + offsets[index], criteria)
            submitted_at = round.closes_at - (10 - index) * DAY
            score = Score.objects.create(
                assignment=assignment,
                status=Score.Status.SUBMITTED,
                comment=READING_COMMENTS[(number + index) % len(READING_COMMENTS)],
                total=weighted_total(points, criteria),
                submitted_at=submitted_at,
            )
            CriterionScore.objects.bulk_create(
                CriterionScore(
                    score=score, criterion=c, points=points[c.pk], max_points=c.max_points
                )
                for c in criteria
            )
    aggregate_round(round)


def judge_video_contest(contest: Contest, users: list[User]) -> None:
    """An open round, part of the way through: every third sheet submitted, every third a
    draft, the rest untouched; one judge was reminded two days ago."""
    now = timezone.now()
    round = _round(contest, VIDEO_RUBRIC, "初评", now - 9 * DAY, contest.review_ends_at)
    _panels(round, users)
    criteria = list(round.rubric.criteria.all())
    position = 0
    for entry_index, assignments in enumerate(_entry_assignments(round).values()):
        base = VIDEO_BASE_TOTALS[entry_index % len(VIDEO_BASE_TOTALS)]
        for index, assignment in enumerate(assignments):
            if position % 3 == 0:
                save_score(
                    assignment,
                    split_points(base + OFFSETS[index % len(OFFSETS)], criteria),
                    VIDEO_COMMENTS[entry_index % len(VIDEO_COMMENTS)],
                    submit=True,
                )
            elif position % 3 == 1:
                first = criteria[0]
                draft = {first.pk: split_points(base, criteria)[first.pk]}
                save_score(assignment, draft, DRAFT_COMMENT, submit=False)
            position += 1
    aggregate_round(round)
    waiting = (
        Assignment.objects.filter(round=round)
        .exclude(score__status=Score.Status.SUBMITTED)
        .order_by("judge_id")
        .values_list("judge_id", flat=True)
        .first()
    )
    if waiting is not None:
        JudgeReminder.objects.create(round=round, judge_id=waiting, sent_at=now - 2 * DAY)


def _contest(slug: str) -> Contest | None:
    page = ContestPage.objects.filter(slug=slug).select_related("contest").first()
    return page.contest if page else None


@transaction.atomic
def load(home, report: list[str]) -> None:
    reading = _contest(contest_demo.READING_SLUG)
    video = _contest(contest_demo.VIDEO_SLUG)
    judged = 0
    users = None
    for contest, judge_contest in ((reading, judge_reading_contest), (video, judge_video_contest)):
        if contest is None or JudgingRound.objects.filter(contest=contest).exists():
            continue
        users = users or judges()
        judge_contest(contest, users)
        judged += 1
    report.append(f"judging: {judged} contests judged, {2 - judged} kept")
