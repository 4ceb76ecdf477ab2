import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from competitions.core.models import ModerationWord
from competitions.voting import services as voting
from competitions.voting.popularity import services
from competitions.voting.popularity.models import (
    EntryComment,
    PopularityAuditLog,
    PopularityRule,
    ShareOpen,
)
from tests.concurrency import at_once
from tests.factories.contests import EntryFactory
from tests.factories.users import PupilFactory, UserFactory
from tests.factories.voting import VoterFactory, VotingContestFactory, VotingEntryFactory

pytestmark = pytest.mark.django_db


def open_share(entry, **kwargs):
    kwargs.setdefault("ip", "203.0.113.5")
    kwargs.setdefault("user_agent", "Mozilla/5.0 MicroMessenger")
    return services.record_share_open(entry, **kwargs)


def test_a_share_open_counts_once_per_visitor_and_day():
    entry = VotingEntryFactory()

    first, again = open_share(entry), open_share(entry)
    other_visitor = open_share(entry, ip="198.51.100.9")
    tomorrow = open_share(entry, now=timezone.now() + datetime.timedelta(days=1))

    assert (first, again, other_visitor, tomorrow) == (True, False, True, True)
    assert ShareOpen.objects.count() == 3


def test_a_signed_in_visitor_counts_once_whatever_their_address():
    entry = VotingEntryFactory()
    user = UserFactory()

    assert open_share(entry, user=user, ip="203.0.113.5")
    assert not open_share(entry, user=user, ip="198.51.100.9")


def test_shares_of_entries_outside_the_vote_do_not_count():
    entry = EntryFactory()  # its contest is taking entries, not voting

    assert not open_share(entry) and not ShareOpen.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_visitor_opening_at_the_same_moment_counts_once():
    entry = VotingEntryFactory()

    results = at_once([lambda: open_share(entry) for _ in range(6)])

    assert results.count(True) == 1 and ShareOpen.objects.count() == 1


def test_an_adults_comment_is_public_at_once_and_a_pupils_waits():
    entry = VotingEntryFactory()
    adult = VoterFactory()
    pupil = PupilFactory(phone="+8613900000077", phone_verified=True)

    by_adult = services.add_comment(entry, adult, "拍得真好", token=uuid.uuid4())
    by_pupil = services.add_comment(entry, pupil, "我也想拍", token=uuid.uuid4())

    assert by_adult.comment.status == EntryComment.Status.APPROVED
    assert by_pupil.comment.status == EntryComment.Status.PENDING
    assert list(services.approved_comments(entry)) == [by_adult.comment]


def test_a_comment_repeated_with_its_token_is_written_once():
    entry = VotingEntryFactory()
    voter = VoterFactory()
    token = uuid.uuid4()

    first = services.add_comment(entry, voter, "拍得真好", token=token)
    again = services.add_comment(entry, voter, "拍得真好", token=token)

    assert first.created and not again.created and EntryComment.objects.count() == 1


@pytest.mark.parametrize("text", ["", "你是个笨蛋", "加我微信 zhangsan_88", "好" * 301])
def test_empty_hostile_or_too_long_comments_are_refused(text):
    ModerationWord.objects.get_or_create(word="笨蛋")

    with pytest.raises(ValidationError):
        services.add_comment(VotingEntryFactory(), VoterFactory(), text, token=uuid.uuid4())

    assert not EntryComment.objects.exists()


def test_only_people_who_may_vote_may_comment():
    with pytest.raises(ValidationError):
        services.add_comment(VotingEntryFactory(), UserFactory(), "好", token=uuid.uuid4())


def test_without_a_rule_popularity_is_votes_alone():
    entry = VotingEntryFactory()
    voting.cast_vote(entry, VoterFactory())
    open_share(entry)

    (row,) = services.ranking(entry.contest)

    assert row.score == Decimal(1) and row.shares == 1


def test_with_a_rule_the_score_weighs_votes_shares_and_approved_comments():
    contest = VotingContestFactory()
    PopularityRule.objects.create(
        contest=contest, vote_weight=Decimal(1), share_weight=Decimal("0.5"), comment_weight=2
    )
    liked, shared = EntryFactory.create_batch(2, contest=contest)
    for _ in range(3):
        voting.cast_vote(liked, VoterFactory())
    for n in range(8):
        open_share(shared, ip=f"203.0.113.{n}")
    services.add_comment(shared, VoterFactory(), "好看", token=uuid.uuid4())
    services.add_comment(
        shared, PupilFactory(phone="+8613900000088", phone_verified=True), "好", token=uuid.uuid4()
    )

    ranking = services.ranking(contest)

    assert [(row.entry_id, row.score) for row in ranking] == [
        (shared.pk, Decimal("6.00")),  # 8 × 0.5 + 1 approved comment × 2
        (liked.pk, Decimal("3.00")),
    ]


def test_voided_shares_and_rejected_comments_leave_the_score_with_an_audit_record():
    contest = VotingContestFactory()
    PopularityRule.objects.create(contest=contest)
    entry = EntryFactory(contest=contest)
    for n in range(4):
        open_share(entry, ip=f"10.0.0.{n}")
    comment = services.add_comment(entry, VoterFactory(), "好看", token=uuid.uuid4()).comment

    record = services.void_shares(
        ShareOpen.objects.filter(ip_network="10.0.0.0/24"),
        contest=contest,
        actor=None,
        reason="同一网段集中打开",
    )
    services.decide_comments(
        EntryComment.objects.filter(pk=comment.pk),
        contest=contest,
        approve=False,
        actor=None,
        reason="广告",
    )

    row = services.entry_figures(entry)
    assert record.affected == 4 and row.shares == 0 and row.comments == 0 and row.score == 0
    assert PopularityAuditLog.objects.count() == 2


def test_rejecting_without_a_reason_is_refused():
    entry = VotingEntryFactory()
    comment = services.add_comment(entry, VoterFactory(), "好看", token=uuid.uuid4()).comment

    with pytest.raises(ValidationError):
        services.decide_comments(
            EntryComment.objects.filter(pk=comment.pk),
            contest=entry.contest,
            approve=False,
            actor=None,
        )


def test_titles_of_entries_not_publicly_displayable_stay_hidden_in_the_ranking():
    contest = VotingContestFactory()
    EntryFactory(contest=contest, title="小朋友的视频", author=PupilFactory())

    (row,) = services.ranking(contest)

    assert row.title == ""
