import uuid
from decimal import Decimal

import pytest

from competitions.submissions.results.sources import collect_votes
from competitions.voting import services as voting
from competitions.voting.popularity import services
from competitions.voting.popularity.models import PopularityRule
from tests.factories.contests import EntryFactory
from tests.factories.voting import VoterFactory, VotingContestFactory

pytestmark = pytest.mark.django_db


def test_published_results_follow_the_popularity_score_where_a_rule_exists():
    contest = VotingContestFactory()
    voted, shared = EntryFactory.create_batch(2, contest=contest)
    for _ in range(2):
        voting.cast_vote(voted, VoterFactory())
    for n in range(6):
        services.record_share_open(shared, ip=f"203.0.113.{n}")
    services.add_comment(shared, VoterFactory(), "好", token=uuid.uuid4())

    without_rule = collect_votes(contest)
    PopularityRule.objects.create(
        contest=contest, vote_weight=1, share_weight=Decimal("0.5"), comment_weight=2
    )
    with_rule = collect_votes(contest)

    assert without_rule == {voted.pk: 2, shared.pk: 0}
    assert with_rule == {voted.pk: 2, shared.pk: 5}
