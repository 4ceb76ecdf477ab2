import datetime

import pytest
from django.utils import timezone

from competitions.voting import services
from competitions.voting.models import Vote, VoteAuditLog
from competitions.voting.models.audit import AppendOnlyError
from kepu.http import ip_hash
from tests.concurrency import at_once
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.users import UserFactory
from tests.factories.voting import (
    ShortlistFactory,
    VoterFactory,
    VotingContestFactory,
    VotingEntryFactory,
)

pytestmark = pytest.mark.django_db


def test_a_verified_voter_votes_once_per_entry_per_day():
    entry = VotingEntryFactory()
    voter = VoterFactory()

    first = services.cast_vote(entry, voter, ip="203.0.113.9")
    again = services.cast_vote(entry, voter, ip="203.0.113.9")

    assert first.created and first.count == 1
    assert not again.created and again.count == 1 and again.vote.pk == first.vote.pk
    assert Vote.objects.count() == 1


def test_the_next_day_a_voter_may_vote_for_the_same_entry_again():
    entry = VotingEntryFactory()
    voter = VoterFactory()
    services.cast_vote(entry, voter)

    tomorrow = services.cast_vote(entry, voter, now=timezone.now() + _days(1))

    assert tomorrow.created and tomorrow.count == 2


def test_votes_per_day_are_limited_per_contest():
    contest = VotingContestFactory(votes_per_day=2)
    entries = EntryFactory.create_batch(3, contest=contest)
    voter = VoterFactory()
    services.cast_vote(entries[0], voter)
    services.cast_vote(entries[1], voter)

    with pytest.raises(services.VoteLimitExceeded):
        services.cast_vote(entries[2], voter)
    # Another contest has its own allowance.
    assert services.cast_vote(VotingEntryFactory(), voter).created


def test_voters_without_a_verified_phone_are_refused():
    entry = VotingEntryFactory()

    with pytest.raises(services.NotEligible):
        services.cast_vote(entry, UserFactory())  # e-mail only
    with pytest.raises(services.NotEligible):
        services.cast_vote(entry, VoterFactory(phone_verified=False))
    assert not Vote.objects.exists()


@pytest.mark.parametrize("phase", ["submission", "review", "results"])
def test_voting_outside_the_vote_phase_is_refused(phase):
    entry = EntryFactory(contest=ContestFactory(phase=phase))

    with pytest.raises(services.VotingClosed):
        services.cast_vote(entry, VoterFactory())
    assert not Vote.objects.exists()


def test_with_a_shortlist_only_shortlisted_entries_take_votes():
    shortlisted = ShortlistFactory().entry
    other = EntryFactory(contest=shortlisted.contest)
    draft = EntryFactory(
        contest=shortlisted.contest, status="draft", number=None, submitted_at=None
    )

    assert services.cast_vote(shortlisted, VoterFactory()).created
    with pytest.raises(services.EntryNotShortlisted):
        services.cast_vote(other, VoterFactory())
    assert list(services.votable_entries(shortlisted.contest)) == [shortlisted]
    assert draft not in services.votable_entries(shortlisted.contest)


def test_without_a_shortlist_every_submitted_entry_takes_votes():
    contest = VotingContestFactory()
    submitted = EntryFactory(contest=contest)
    EntryFactory(contest=contest, status="draft", number=None, submitted_at=None)

    assert list(services.votable_entries(contest)) == [submitted]


def test_only_a_network_and_a_keyed_hash_of_the_address_are_kept():
    vote = services.cast_vote(
        VotingEntryFactory(),
        VoterFactory(),
        ip="203.0.113.9",
        user_agent="Mozilla/5.0 (iPhone) MicroMessenger/8.0",
    ).vote

    assert vote.ip_network == "203.0.113.0/24"
    assert vote.ip_hash and "203.0.113.9" not in vote.ip_hash
    assert vote.ip_hash == ip_hash("203.0.113.9") != ip_hash("203.0.113.10")
    assert vote.user_agent_family == "WeChat"
    assert services.ip_network("2001:db8:1:2::5") == "2001:db8:1::/48"


def test_ranking_orders_by_valid_votes_with_shared_ranks():
    contest = VotingContestFactory(votes_per_day=5)
    first, second, third = EntryFactory.create_batch(3, contest=contest)
    voters = VoterFactory.create_batch(3)
    for voter in voters:
        services.cast_vote(second, voter)
    for voter in voters[:2]:
        services.cast_vote(first, voter)
        services.cast_vote(third, voter)

    board = services.ranking(contest)

    assert [(row.entry_id, row.votes, row.rank) for row in board] == [
        (second.pk, 3, 1),
        (first.pk, 2, 2),
        (third.pk, 2, 2),
    ]
    small = contest.groups.last()
    third.group = small
    third.save()
    assert [row.entry_id for row in services.ranking(contest, small.pk)] == [third.pk]


def test_voiding_drops_counts_exactly_and_is_logged():
    entry = VotingEntryFactory()
    voters = VoterFactory.create_batch(4)
    for voter in voters:
        services.cast_vote(entry, voter)
    organiser = UserFactory()

    record = services.void_votes(
        Vote.objects.filter(voter__in=voters[:2]),
        contest=entry.contest,
        actor=organiser,
        reason="同一网段刷票",
        criteria={"entry_number": entry.number},
    )
    again = services.void_votes(
        Vote.objects.filter(voter__in=voters[:3]),
        contest=entry.contest,
        actor=organiser,
        reason="复查",
    )

    assert services.entry_count(entry) == 1
    assert record.votes_affected == 2 and again.votes_affected == 1
    assert VoteAuditLog.objects.count() == 2
    voided = Vote.objects.filter(voided=True).first()
    assert voided.voided_by == organiser and voided.voided_reason in {"同一网段刷票", "复查"}
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()


def test_voiding_without_a_reason_changes_nothing():
    entry = VotingEntryFactory()
    services.cast_vote(entry, VoterFactory())

    with pytest.raises(ValueError):
        services.void_votes(Vote.objects.all(), contest=entry.contest, actor=None, reason="  ")
    assert services.entry_count(entry) == 1
    assert not VoteAuditLog.objects.exists()


# --- concurrency: real threads against PostgreSQL ----------------------------------------------


def _days(n):
    return datetime.timedelta(days=n)


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_never_exceed_the_daily_limit():
    contest = VotingContestFactory(votes_per_day=3)
    entries = EntryFactory.create_batch(8, contest=contest)
    voter = VoterFactory()

    results = at_once([lambda e=e: services.cast_vote(e, voter) for e in entries])

    votes = Vote.objects.filter(voter=voter, contest=contest)
    assert votes.count() == 3
    assert sorted(votes.values_list("slot", flat=True)) == [1, 2, 3]
    assert sum(isinstance(r, services.VoteLimitExceeded) for r in results) == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_taps_count_one_vote():
    entry = VotingEntryFactory()
    voter = VoterFactory()

    results = at_once([lambda: services.cast_vote(entry, voter) for _ in range(6)])

    assert Vote.objects.filter(voter=voter).count() == 1
    assert sum(r.created for r in results) == 1
    assert {r.vote.pk for r in results} == {Vote.objects.get().pk}


@pytest.mark.django_db(transaction=True)
def test_counts_stay_exact_when_many_vote_at_once():
    entry = VotingEntryFactory()
    voters = VoterFactory.create_batch(12)

    results = at_once([lambda v=v: services.cast_vote(entry, v) for v in voters])

    assert all(r.created for r in results)
    assert services.entry_count(entry) == 12
    assert max(r.count for r in results) == 12
