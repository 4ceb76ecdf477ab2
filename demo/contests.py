"""Demo contests: a reading-review contest with published results and an exhibition, and a
short-video contest whose public vote is open. Idempotent: a contest whose page exists is
kept as it is.

Demo students get unusable passwords (nobody can sign in as them). The short-video entries
are typed-in descriptions without clips; demo/judging.py and demo/voting.py add
scores and votes afterwards, and `publish_demo_results` runs last. The texts are in
demo/data/contests.toml.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from competitions.core.models import Unit
from competitions.submissions.models import (
    AwardLevel,
    Contest,
    ContestGroup,
    ContestPage,
    Entry,
    EntryAward,
    EntryKind,
    ExhibitedEntry,
)
from competitions.submissions.results.sources import publish_contest_results

from .datafiles import toml

READING_SLUG = "kexuejia-huiben-duhougan"
VIDEO_SLUG = "zhijing-kexuejia-jingshen-duanshipin"
DAY = timedelta(days=1)


def schools() -> dict[str, Unit]:
    return {
        name: Unit.objects.get_or_create(
            kind=Unit.Kind.SCHOOL, name=name, defaults={"sort_order": order}
        )[0]
        for order, name in enumerate(toml("contests")["schools"])
    }


def student(index: int) -> User:
    names = toml("contests")["student_names"]
    user, created = User.objects.get_or_create(
        username=f"demo-student-{index + 1}", defaults={"display_name": names[index % len(names)]}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _contest(title: str, kinds: list[str], dates: dict, **settings) -> Contest:
    contest = Contest.objects.create(title=title, entry_kinds=kinds, **dates, **settings)
    for order, name in enumerate(["小学组", "初中组"]):
        ContestGroup.objects.create(contest=contest, name=name, sort_order=order)
    return contest


def _page(home, contest: Contest, slug: str, summary: str, rules: str) -> None:
    page = ContestPage(
        title=contest.title,
        slug=slug,
        contest=contest,
        summary=summary,
        rules=rules,
        show_in_menus=False,
    )
    home.add_child(instance=page)
    page.save_revision().publish()


def _entries(contest: Contest, items: list[dict], kind: str, first_student: int) -> list[Entry]:
    units = schools()
    groups = {group.name: group for group in contest.groups.all()}
    now = timezone.now()
    submitted = min(contest.submission_closes_at, now) - DAY
    return [
        Entry.objects.create(
            contest=contest,
            group=groups[item["group"]],
            author=student(first_student + number),
            number=number + 1,
            kind=kind,
            title=item["title"],
            description=item["description"],
            text=item.get("text", ""),
            school=units[item["school"]],
            grade=item["grade"],
            teacher=item["teacher"],
            status=Entry.Status.SUBMITTED,
            submitted_at=submitted,
            # Demo authors are fictional adults' accounts that agreed to public display.
            display_consent=True,
        )
        for number, item in enumerate(items)
    ]


def load_reading_contest(home) -> bool:
    """The reading-review contest, in its exhibition; its awards are published by
    `publish_demo_results` once the judging and voting demos have added scores and votes."""
    if ContestPage.objects.filter(slug=READING_SLUG).exists():
        return False
    now = timezone.now()
    contest = _contest(
        "科学家故事绘本读后感征集",
        [EntryKind.TEXT, EntryKind.DOCUMENT],
        {
            "submission_opens_at": now - 60 * DAY,
            "submission_closes_at": now - 40 * DAY,
            "review_ends_at": now - 25 * DAY,
            "voting_opens_at": now - 30 * DAY,
            "voting_closes_at": now - 20 * DAY,
            "results_at": now - 10 * DAY,
            "exhibition_at": now - 5 * DAY,
        },
        max_words=1500,
        expert_weight=100,
        popularity_award=True,
    )
    for order, (name, count, percent) in enumerate(
        [("一等奖", 1, None), ("二等奖", 1, None), ("三等奖", None, 25)]
    ):
        AwardLevel.objects.create(
            contest=contest, name=name, count=count, percent=percent, sort_order=order
        )
    reviews = toml("contests")["reading_reviews"]
    entries = _entries(contest, reviews, EntryKind.TEXT, 0)
    scores = {e.pk: item["score"] for e, item in zip(entries, reviews, strict=True)}
    # The organiser's choice for the exhibition: the lowest-scored review of each group.
    for group in contest.groups.all():
        in_group = [e for e in entries if e.group_id == group.pk]
        ExhibitedEntry.objects.get_or_create(entry=min(in_group, key=lambda e: scores[e.pk]))
    _page(
        home,
        contest,
        READING_SLUG,
        "读一本科学家故事绘本，写下你的感想。获奖名单和线上作品展已经发布。",
        "<p>面向全市中小学生，分小学组和初中组。作品须为本人原创，字数 150–1500 字。"
        "专家评审按思想内容、语言表达和创意评分，另设人气奖。</p>",
    )
    return True


def load_video_contest(home) -> bool:
    if ContestPage.objects.filter(slug=VIDEO_SLUG).exists():
        return False
    now = timezone.now()
    contest = _contest(
        "致敬科学家精神短视频征集",
        [EntryKind.VIDEO],
        {
            "submission_opens_at": now - 30 * DAY,
            "submission_closes_at": now - 10 * DAY,
            "review_ends_at": now + 5 * DAY,
            "voting_opens_at": now - 3 * DAY,
            "voting_closes_at": now + 7 * DAY,
            "results_at": now + 14 * DAY,
            "exhibition_at": now + 20 * DAY,
        },
        max_files=1,
        max_file_mb=200,
        expert_weight=80,
        popularity_award=False,
    )
    for order, (name, count) in enumerate([("一等奖", 1), ("二等奖", 1), ("优秀奖", 1)]):
        AwardLevel.objects.create(contest=contest, name=name, count=count, sort_order=order)
    data = toml("contests")
    _entries(contest, data["short_videos"], EntryKind.VIDEO, len(data["reading_reviews"]))
    _page(
        home,
        contest,
        VIDEO_SLUG,
        "用 3 分钟以内的短视频讲述你心中的科学家精神。公众投票正在进行，快来为喜欢的作品投票！",
        "<p>作品时长不超过 3 分钟，画面清晰。最终成绩 = 专家评分 80% + 人气 20%。</p>",
    )
    return True


@transaction.atomic
def load(home, report: list[str]) -> None:
    created = sum([load_reading_contest(home), load_video_contest(home)])
    report.append(f"contests: {created} created, {2 - created} kept")


@transaction.atomic
def publish_demo_results(report: list[str]) -> None:
    """Publishes the reading-review contest's awards from its judges' scores and the votes
    (results.sources.publish_contest_results), as an organiser would; a contest whose awards
    exist is left as it is."""
    page = ContestPage.objects.filter(slug=READING_SLUG).select_related("contest").first()
    if page is None or EntryAward.objects.filter(contest=page.contest).exists():
        return
    awards = publish_contest_results(page.contest)
    report.append(f"contest results: {len(awards)} awards published")
