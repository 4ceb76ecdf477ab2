"""Voters, contests in their vote phase, shortlists and votes, for tests."""

import datetime

import factory
from django.utils import timezone

from competitions.voting.models import Shortlist
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.users import PhoneUserFactory


class VoterFactory(PhoneUserFactory):
    """An adult with a verified phone whose account is a month old (no captcha for them)."""

    date_joined = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))


class VotingContestFactory(ContestFactory):
    """A contest whose public vote is open now."""

    class Params:
        phase = "voting"


class VotingEntryFactory(EntryFactory):
    """A submitted entry of a contest in its vote phase."""

    contest = factory.SubFactory(VotingContestFactory)


class ShortlistFactory(factory.django.DjangoModelFactory):
    entry = factory.SubFactory(VotingEntryFactory)
    contest = factory.LazyAttribute(lambda o: o.entry.contest)

    class Meta:
        model = Shortlist
