"""Judging rounds with a rubric, panels per group, judges and assignments, for tests."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from competitions.judging.models import (
    Assignment,
    Criterion,
    Judge,
    JudgingPanel,
    JudgingRound,
    Rubric,
)
from tests.factories.contests import ContestFactory
from tests.factories.users import UserFactory

DAY = datetime.timedelta(days=1)


class RubricFactory(factory.django.DjangoModelFactory):
    """Two criteria: 内容 (weight 3, 10 points) and 表达 (weight 1, 5 points)."""

    contest = factory.SubFactory(ContestFactory, phase="review")
    name = "评分标准"

    class Meta:
        model = Rubric
        skip_postgeneration_save = True

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if create:
            specs = extracted or [("内容", Decimal(3), 10), ("表达", Decimal(1), 5)]
            for order, (name, weight, max_points) in enumerate(specs):
                Criterion.objects.create(
                    rubric=self, name=name, weight=weight, max_points=max_points, sort_order=order
                )


class JudgingRoundFactory(factory.django.DjangoModelFactory):
    """Round 1 (初评), open now, ranking by trimmed mean, top 2 of each group advance."""

    rubric = factory.SubFactory(RubricFactory)
    contest = factory.LazyAttribute(lambda o: o.rubric.contest)
    number = 1
    name = "初评"
    opens_at = factory.LazyFunction(lambda: timezone.now() - DAY)
    closes_at = factory.LazyFunction(lambda: timezone.now() + 5 * DAY)
    advance_count = 2

    class Meta:
        model = JudgingRound


class JudgeFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    school = None

    class Meta:
        model = Judge


class JudgingPanelFactory(factory.django.DjangoModelFactory):
    """A panel for the contest's first group; `judges=[users]` fills it."""

    round = factory.SubFactory(JudgingRoundFactory)
    group = factory.LazyAttribute(lambda o: o.round.contest.groups.first())

    class Meta:
        model = JudgingPanel
        skip_postgeneration_save = True

    @factory.post_generation
    def judges(self, create, extracted, **kwargs):
        if create and extracted:
            self.judges.set(extracted)


class AssignmentFactory(factory.django.DjangoModelFactory):
    round = factory.SubFactory(JudgingRoundFactory)
    entry = factory.SubFactory(
        "tests.factories.contests.EntryFactory", contest=factory.SelfAttribute("..round.contest")
    )
    judge = factory.SubFactory(UserFactory)

    class Meta:
        model = Assignment
