"""A living demo drift: one campaign, 8 picture books, 3 stations, 120
copies and several hundred journey steps, written through the same services readers and
organisers use (so every rule and constraint held while it was made).

Pupils are ten-year-olds whose guardians agreed to their accounts; two of them also have
their guardian's display consent, so only their names can appear with a step. Most pupils'
notes are approved, a few wait in the moderation queue; two reviews were written from copy
pages, and the reviews of the demo reading-review contest are shown on their books' pages.
Idempotent: an existing demo campaign is kept as it is.
"""

import random
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import GuardianConsent, User
from competitions.bookdrift import awards, catalogue, journeys, moderation, reminders, reviews
from competitions.bookdrift.models import (
    Book,
    BookCopy,
    BookReview,
    DriftAward,
    DriftCampaign,
    SchoolClass,
    Station,
)
from competitions.submissions.models import (
    Contest,
    ContestGroup,
    ContestPage,
    Entry,
    EntryKind,
)
from kepu.days import local_day

from . import contests as contest_demo
from .content import illustration
from .datafiles import toml

DAY = timedelta(days=1)


def _pupils(classes: list[SchoolClass]) -> list[tuple[User, SchoolClass]]:
    year = local_day().year - 10
    data = toml("bookdrift")
    pupils = []
    for index, name in enumerate(data["pupils"]):
        user, created = User.objects.get_or_create(
            username=f"demo-pupil-{index + 1}",
            defaults={
                "display_name": name,
                "birth_year": year,
                "birth_month": 1 + index % 12,
                "consent_status": User.ConsentStatus.GRANTED,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            scopes = [GuardianConsent.Scope.ACCOUNT]
            if name in data["shown_pupils"]:
                scopes.append(GuardianConsent.Scope.DISPLAY)
            for scope in scopes:
                GuardianConsent.objects.create(
                    child=user,
                    guardian_phone="+8613700000000",
                    decision=GuardianConsent.Decision.AGREE,
                    scope=scope,
                    policy_version=settings.KEPU_CONSENT_POLICY_VERSION,
                )
        pupils.append((user, classes[index % len(classes)]))
    return pupils


def _review_contest() -> Contest:
    now = timezone.now()
    contest = Contest.objects.create(
        title=toml("bookdrift")["campaign"]["review_contest"],
        entry_kinds=[EntryKind.TEXT],
        submission_opens_at=now - 45 * DAY,
        submission_closes_at=now + 40 * DAY,
        review_ends_at=now + 55 * DAY,
        results_at=now + 60 * DAY,
        max_words=1500,
    )
    for order, name in enumerate(["小学组", "初中组"]):
        ContestGroup.objects.create(contest=contest, name=name, sort_order=order)
    return contest


def _walk(copy, pupils, rng, start, now, stations, anonymous) -> None:
    """One copy's journey from `start` until now: catches and releases by pupils, now and
    then an anonymous reader at the community gallery."""
    moment = start + timedelta(hours=rng.randint(4, 96))
    last = ""
    for _hop in range(rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4, 5])):
        moment += timedelta(hours=rng.randint(6, 72))
        if moment >= now:
            return
        if anonymous and rng.random() < 0.08:
            nickname, place = rng.choice(toml("bookdrift")["anonymous_readers"])
            reader = journeys.Reader(anonymous_id=uuid.uuid4().hex, nickname=nickname)
            where = journeys.Place(text=place)
            show = False
        else:
            user, school_class = rng.choice(pupils)
            if f"u:{user.pk}" == last:
                continue
            reader = journeys.Reader(user=user)
            where = journeys.Place(class_id=school_class.pk)
            show = rng.random() < 0.7
        note = rng.choice(toml("bookdrift")["notes"]) if rng.random() < 0.3 else ""
        journeys.catch(
            copy,
            reader,
            token=uuid.uuid4(),
            place=where,
            note=note,
            show_identity=show,
            now=moment,
        )
        last = reader.key
        moment += timedelta(days=rng.choice([3, 5, 7, 9, 12, 15, 18, 26]))
        if moment >= now:
            return
        station = rng.choice(stations) if rng.random() < 0.6 else None
        journeys.release(copy, reader, token=uuid.uuid4(), station=station, now=moment)


@transaction.atomic
def load(home, report: list[str]) -> None:
    data = toml("bookdrift")
    campaign_data = data["campaign"]
    if DriftCampaign.objects.filter(slug=campaign_data["slug"]).exists():
        report.append("book drift: kept")
        return
    rng = random.Random(15)  # noqa: S311 (demo data, not security)
    now = timezone.now()
    today = local_day()
    schools = contest_demo.schools()
    classes = [
        SchoolClass.objects.get_or_create(school=schools[school], name=name)[0]
        for school, names in data["classes"].items()
        for name in names
    ]
    stations = [
        Station.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "school": schools.get(school), "address": address},
        )[0]
        for name, kind, school, address in (
            (item["name"], item["kind"], item.get("school"), item["address"])
            for item in data["stations"]
        )
    ]
    books = []
    for index, item in enumerate(data["books"]):
        book = Book.objects.filter(title=item["title"], series=data["series"]).first()
        if book is None:
            book = Book.objects.create(
                title=item["title"],
                author=item["author"],
                publisher=data["publisher"],
                series=data["series"],
                age_min=item["ages"][0],
                age_max=item["ages"][1],
                summary=item["summary"],
                cover=illustration(f"drift-book-{index}", f"绘本封面：{item['title']}", (480, 660)),
            )
        books.append(book)
    video = (
        ContestPage.objects.filter(slug=contest_demo.VIDEO_SLUG).select_related("contest").first()
    )
    campaign = DriftCampaign.objects.create(
        title=campaign_data["title"],
        slug=campaign_data["slug"],
        intro=campaign_data["intro"],
        starts_on=today - 45 * DAY,
        ends_on=today + 45 * DAY,
        allow_anonymous=True,
        review_contest=_review_contest(),
        video_contest=video.contest if video else None,
    )
    campaign.schools.set({school_class.school for school_class in classes})
    campaign.classes.set(classes)
    campaign.stations.set(stations)
    start = now - 44 * DAY
    for station in stations:
        catalogue.register_copies(campaign, {b.pk: 5 for b in books}, station=station, now=start)
    pupils = _pupils(classes)
    copies = list(BookCopy.objects.filter(campaign=campaign).order_by("number"))
    for copy in copies:
        _walk(copy, pupils, rng, start, now, stations, anonymous=copy.station_id == stations[2].pk)
    for copy in rng.sample(copies, 2):
        copy.refresh_from_db()
        if copy.state == BookCopy.State.AT_STATION:
            journeys.organiser_step(copy, "lost", by=None, now=now - 3 * DAY)

    donor = pupils[3][0]
    donated = catalogue.donate_copy(
        campaign,
        donor,
        title="小小气象站",
        author="文：云朵　图：雨点",
        note="我读了三遍，想让更多同学看到。",
        now=now - 10 * DAY,
    )
    catalogue.decide_donation(
        donated, approve=True, by=None, station=stations[0], now=now - 9 * DAY
    )
    catalogue.donate_copy(campaign, pupils[5][0], title="恐龙蛋的故事", now=now - 2 * DAY)

    pending = list(moderation.pending_texts(campaign).values_list("pk", flat=True))
    moderation.decide(pending[:-4], approve=True, by=None, now=now - DAY)

    for entry in Entry.objects.filter(description__in=list(data["reviewed"])):
        book = next(b for b in books if b.title == data["reviewed"][entry.description])
        BookReview.objects.get_or_create(entry=entry, defaults={"book": book, "shown": True})
    for user, _class in pupils:
        if user.display_name not in data["shown_pupils"]:
            continue
        read = BookCopy.objects.filter(campaign=campaign, steps__reader=user).first()
        if read is None:
            continue
        group = campaign.review_contest.groups.get(name="小学组")
        reviews.write_review(
            read,
            user,
            {
                "title": f"读《{read.book.title}》有感",
                "text": (
                    f"《{read.book.title}》是我在图书漂流里接到的书。书里的科学家一次又一次地"
                    "尝试，失败了也不灰心。我最喜欢书里的图解，读完以后我和同桌一起做了书后的"
                    "小实验。我想把这本书推荐给更多的同学。"
                ),
                "group": group,
                "school": read.campaign.schools.first(),
                "grade": "四年级",
                "display_consent": True,
            },
        )
    reviews.set_shown(BookReview.objects.filter(campaign=campaign), True, by=None)

    for kind in (DriftAward.Kind.BEST_COPY, DriftAward.Kind.BEST_READER):
        awards.confirm(campaign, kind, by=None)
        awards.publish(campaign, kind)
    reminders.remind_overdue(campaign)
    steps = sum(copy.steps.count() for copy in BookCopy.objects.filter(campaign=campaign))
    report.append(
        f"book drift: 1 campaign, {BookCopy.objects.filter(campaign=campaign).count()} copies, "
        f"{steps} journey steps"
    )
