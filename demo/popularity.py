"""Demo popularity for the short-video contest whose vote is open: weights, share opens over
the vote's days and a few comments (one waiting for approval, written by a pupil).
Idempotent: a contest with a popularity rule is left as it is."""

import datetime
import random
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from competitions.submissions.models import ContestPage
from competitions.voting.popularity.models import EntryComment, PopularityRule, ShareOpen
from kepu.days import local_day
from kepu.http import ip_hash

from . import contests as contest_demo

COMMENTS = [
    "视频里的实验步骤讲得很清楚，我也想在家试一试！",
    "配音好听，画面也很用心，加油！",
    "原来科学家精神就在身边，谢谢你的分享。",
]


@transaction.atomic
def load(report: list[str]) -> None:
    page = (
        ContestPage.objects.filter(slug=contest_demo.VIDEO_SLUG).select_related("contest").first()
    )
    if page is None or PopularityRule.objects.filter(contest=page.contest).exists():
        return
    contest = page.contest
    PopularityRule.objects.create(
        contest=contest,
        vote_weight=Decimal("1"),
        share_weight=Decimal("0.5"),
        comment_weight=Decimal("2"),
    )
    rng = random.Random(7)  # noqa: S311 (demo data, not security)
    now = timezone.now()
    entries = list(contest.entries.filter(status="submitted").order_by("number"))
    opens = []
    for entry in entries:
        for visitor in range(rng.randint(5, 40)):
            moment = now - datetime.timedelta(minutes=rng.randint(10, 3 * 24 * 60))
            address = f"10.{rng.randint(1, 200)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            opens.append(
                ShareOpen(
                    entry=entry,
                    contest=contest,
                    visitor=f"demo-{entry.pk}-{visitor}",
                    day=local_day(moment),
                    via=rng.choice(["link", "card"]),
                    created_at=moment,
                    ip_network=".".join(address.split(".")[:3]) + ".0/24",
                    ip_hash=ip_hash(address),
                    user_agent_family="WeChat",
                )
            )
    ShareOpen.objects.bulk_create(opens, ignore_conflicts=True)
    adult, _ = User.objects.get_or_create(
        username="demo-commenter",
        defaults={"display_name": "热心观众", "birth_year": 1985, "birth_month": 5},
    )
    pupil, _ = User.objects.get_or_create(
        username="demo-pupil-commenter",
        defaults={
            "display_name": "小观众",
            "birth_year": local_day().year - 12,
            "birth_month": 3,
            "consent_status": User.ConsentStatus.GRANTED,
        },
    )
    for index, entry in enumerate(entries[:3]):
        EntryComment.objects.create(
            entry=entry,
            contest=contest,
            author=adult,
            text=COMMENTS[index % len(COMMENTS)],
            status=EntryComment.Status.APPROVED,
            client_token=uuid.uuid4(),
            created_at=now - datetime.timedelta(hours=index + 1),
        )
    if entries:
        EntryComment.objects.create(
            entry=entries[0],
            contest=contest,
            author=pupil,
            text="我们班也拍了一个，下次一起参加！",
            status=EntryComment.Status.PENDING,
            client_token=uuid.uuid4(),
            created_at=now - datetime.timedelta(minutes=30),
        )
    report.append(f"popularity: {len(opens)} share opens, 4 comments")
