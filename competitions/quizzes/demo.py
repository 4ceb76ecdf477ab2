"""Demo quizzes for the embedded mode: a 防疫知识竞答 and a science-literacy quiz, both open.

Their texts state no numbers (questions, minutes, attempts, scores): the quiz pages show
those from the quiz's rules (competitions/quizzes/facts.py), so they cannot disagree."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from competitions.core.models import Unit

from . import demo_data
from .models import Choice, Question, QuestionBank, QuestionCategory, Quiz, QuizPage

REGIONS = ["东城区", "西城区", "南湖区", "北山区", "高新区", "滨江县"]

QUIZZES = [
    {
        "slug": "fangyi-quiz",
        "title": "防疫知识有奖竞答",
        "bank": "防疫知识题库",
        "questions": demo_data.EPIDEMIC_QUESTIONS,
        "summary": "学防疫知识，守护全家健康。答满分可参加抽奖。",
        "intro": (
            "<p>每次作答从传染病基础、个人防护、疫苗接种、家庭与公共卫生各分类中随机抽题，"
            "每位参与者拿到的试卷都不一样。交卷后可查看答案和解析；"
            "获得满分的参与者进入抽奖名单，活动结束后公开抽奖。</p>"
        ),
        "rules": {"per_category": 3},
        "settings": {
            "time_limit_seconds": 600,
            "attempts_per_day": 3,
            "sign_in_required": True,
            "prize_rule": Quiz.PrizeRule.FULL_MARKS,
            "unit_kind": Unit.Kind.REGION,
            "pass_mark": 60,
        },
    },
    {
        "slug": "science-literacy-quiz",
        "title": "全民科学素质知识竞答",
        "bank": "科学素质题库",
        "questions": demo_data.SCIENCE_QUESTIONS,
        "summary": "生活与科技常识题，无需登录，随时来挑战。",
        "intro": (
            "<p>题目涵盖生活科学、地球与宇宙、科技前沿与安全，每次随机抽取。"
            "达到合格分数即可获得电子证书，可下载打印，也可分享给朋友。</p>"
        ),
        "rules": {},
        "settings": {
            "questions_per_attempt": 10,
            "time_limit_seconds": 480,
            "attempts_per_day": 2,
            "sign_in_required": False,
            "prize_rule": Quiz.PrizeRule.NONE,
            "pass_mark": 60,
        },
    },
]


def load_bank(name: str, questions: list[dict]) -> QuestionBank:
    bank, created = QuestionBank.objects.get_or_create(name=name)
    if not created:
        return bank
    categories = {}
    for item in questions:
        category = categories.get(item["category"])
        if category is None:
            category = categories[item["category"]] = QuestionCategory.objects.create(
                bank=bank, name=item["category"]
            )
        question = Question.objects.create(
            bank=bank,
            category=category,
            difficulty=item["difficulty"],
            kind=item["kind"],
            stem=item["stem"],
            explanation=item["explanation"],
            source=item.get("source", ""),
        )
        Choice.objects.bulk_create(
            Choice(question=question, text=text, is_correct=correct, sort_order=order)
            for order, (text, correct) in enumerate(item["choices"])
        )
    return bank


@transaction.atomic
def load(home, report: list[str]) -> None:
    for order, name in enumerate(REGIONS):
        Unit.objects.get_or_create(kind=Unit.Kind.REGION, name=name, defaults={"sort_order": order})
    created = 0
    for spec in QUIZZES:
        if QuizPage.objects.filter(slug=spec["slug"]).exists():
            continue
        bank = load_bank(spec["bank"], spec["questions"])
        now = timezone.now()
        quiz = Quiz.objects.create(
            title=spec["title"],
            bank=bank,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=120),
            **spec["settings"],
        )
        if spec["rules"]:
            for category in bank.categories.all():
                quiz.draw_rules.create(category=category, count=spec["rules"]["per_category"])
        page = QuizPage(
            title=spec["title"],
            slug=spec["slug"],
            quiz=quiz,
            summary=spec["summary"],
            intro=spec["intro"],
            show_in_menus=False,
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    report.append(f"quizzes: {created} created, {len(QUIZZES) - created} kept")
