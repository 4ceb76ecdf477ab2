"""Contests in a chosen phase, and entries, for tests."""

import datetime

import factory
from django.utils import timezone

from competitions.submissions.models import Contest, ContestGroup, Entry, EntryKind
from tests.factories.users import UserFactory

DAY = datetime.timedelta(days=1)


def phase_dates(phase: str) -> dict:
    """Phase dates around now so that `contest.phase()` is `phase` (vote after review)."""
    now = timezone.now()
    starts = {
        "upcoming": now + DAY,
        "submission": now - DAY,
        "review": now - 10 * DAY,
        "voting": now - 20 * DAY,
        "results": now - 40 * DAY,
        "exhibition": now - 60 * DAY,
    }[phase]
    dates = {
        "submission_opens_at": starts,
        "submission_closes_at": starts + 5 * DAY,
        "review_ends_at": starts + 15 * DAY,
        "voting_opens_at": starts + 15 * DAY,
        "voting_closes_at": starts + 25 * DAY,
        "results_at": starts + 30 * DAY,
        "exhibition_at": starts + 50 * DAY,
    }
    if phase == "review":
        dates["voting_opens_at"] = dates["voting_closes_at"] = None
    return dates


class ContestFactory(factory.django.DjangoModelFactory):
    """A reading-review contest with 小学组 and 初中组, accepting entries now (`phase=`)."""

    title = factory.Sequence(lambda n: f"读后感征集{n}")
    entry_kinds = factory.LazyFunction(lambda: [EntryKind.TEXT, EntryKind.DOCUMENT])

    class Meta:
        model = Contest
        skip_postgeneration_save = True

    class Params:
        phase = "submission"

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        phase = kwargs.pop("phase", "submission")
        return {**phase_dates(phase), **kwargs}

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            for order, name in enumerate(extracted or ["小学组", "初中组"]):
                ContestGroup.objects.create(contest=self, name=name, sort_order=order)


class EntryFactory(factory.django.DjangoModelFactory):
    """A submitted typed-in entry with a number, whose author agreed to public display."""

    contest = factory.SubFactory(ContestFactory)
    group = factory.LazyAttribute(lambda o: o.contest.groups.first())
    author = factory.SubFactory(UserFactory)
    kind = EntryKind.TEXT
    title = factory.Sequence(lambda n: f"读《昆虫记》有感{n}")
    text = "这本书让我明白了观察的乐趣。" * 20
    status = Entry.Status.SUBMITTED
    display_consent = True
    number = factory.Sequence(lambda n: n + 1)
    submitted_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Entry
