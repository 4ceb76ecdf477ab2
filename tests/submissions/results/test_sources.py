"""Publishing results gathers the last judging round's scores and the valid votes."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from competitions.judging.models import EntryResult
from competitions.submissions.models import AwardLevel, EntryAward
from competitions.submissions.results.sources import (
    NotReadyToPublish,
    publish_contest_results,
    publishing_problems,
)
from competitions.voting.models import Vote
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.judging import AssignmentFactory, JudgingRoundFactory
from tests.factories.voting import VoterFactory

pytestmark = pytest.mark.django_db


def vote(entry, voter, voided=False):
    return Vote.objects.create(
        entry=entry,
        contest=entry.contest,
        voter=voter,
        day=timezone.localdate(),
        slot=Vote.objects.filter(voter=voter).count() + 1,
        created_at=timezone.now(),
        voided=voided,
        voided_reason="同一网段短时间内集中投票" if voided else "",
    )


def test_awards_come_from_the_final_round_and_valid_votes():
    contest = ContestFactory(phase="results", expert_weight=100, popularity_award=True)
    AwardLevel.objects.create(contest=contest, name="一等奖", count=1)
    group = contest.groups.first()
    strong, popular = (
        EntryFactory(contest=contest, group=group),
        EntryFactory(contest=contest, group=group),
    )
    first = JudgingRoundFactory(contest=contest, number=1)
    final = JudgingRoundFactory(
        contest=contest, number=2, closes_at=first.closes_at + datetime.timedelta(days=1)
    )
    # Round 1 preferred the other entry; the final round decides.
    EntryResult.objects.create(round=first, entry=popular, mean=95, trimmed_mean=95)
    EntryResult.objects.create(round=first, entry=strong, mean=60, trimmed_mean=60)
    EntryResult.objects.create(round=final, entry=strong, mean=90, trimmed_mean=90)
    EntryResult.objects.create(round=final, entry=popular, mean=70, trimmed_mean=70)
    for _ in range(3):
        vote(popular, VoterFactory())
    for _ in range(5):
        vote(strong, VoterFactory(), voided=True)  # voided votes never count

    call_command("publish_contest_results", contest.pk, stdout=open("/dev/null", "w"))  # noqa: SIM115

    awards = {(a.entry_id, a.kind) for a in EntryAward.objects.filter(entry__contest=contest)}
    assert (strong.pk, "expert") in awards
    assert (popular.pk, "popularity") in awards
    assert (popular.pk, "expert") not in awards


# --- awards wait for the entry deadline and the judging -------------------------------------


def test_awards_are_not_published_while_entries_are_still_open():
    contest = ContestFactory(phase="submission")
    AwardLevel.objects.create(contest=contest, name="一等奖", count=1)
    EntryFactory(contest=contest)

    with pytest.raises(NotReadyToPublish) as refusal:
        publish_contest_results(contest)

    assert "仍在征集作品" in refusal.value.problems[0]
    assert not EntryAward.objects.exists()


def test_awards_are_not_published_while_scores_are_missing():
    contest = ContestFactory(phase="review")
    AwardLevel.objects.create(contest=contest, name="一等奖", count=1)
    judging_round = JudgingRoundFactory(contest=contest, name="终评")
    AssignmentFactory(round=judging_round)
    AssignmentFactory(round=judging_round)

    with pytest.raises(NotReadyToPublish) as refusal:
        publish_contest_results(contest)

    assert refusal.value.problems == ["评审尚未结束：“终评”还有 2 份评分没有提交。"]
    assert not EntryAward.objects.exists()


def test_awards_wait_for_the_last_rounds_results_to_be_computed():
    contest = ContestFactory(phase="review")
    JudgingRoundFactory(contest=contest, name="初评")

    problems = publishing_problems(contest)

    assert len(problems) == 1 and "“初评”的结果还没有计算" in problems[0]


def test_the_command_says_why_it_refuses():
    contest = ContestFactory(phase="submission")

    with pytest.raises(CommandError, match="仍在征集作品"):
        call_command("publish_contest_results", contest.pk)
