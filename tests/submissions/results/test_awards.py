"""Award computation and publishing on a known data set."""

from decimal import Decimal

import pytest

from competitions.core.models import Unit
from competitions.submissions.models import AwardCertificate, AwardLevel, Entry, EntryAward
from competitions.submissions.results.awards import compute_awards, publish_results, unit_ranking
from tests.factories.contests import ContestFactory, EntryFactory

pytestmark = pytest.mark.django_db


def make_contest(levels, **kwargs):
    contest = ContestFactory(phase="results", **kwargs)
    for order, (name, count, percent) in enumerate(levels):
        AwardLevel.objects.create(
            contest=contest, name=name, count=count, percent=percent, sort_order=order
        )
    return contest


def entries_in(contest, group_index, count, start=1):
    group = list(contest.groups.order_by("sort_order"))[group_index]
    return [
        EntryFactory(contest=contest, group=group, number=start + i, teacher="王老师")
        for i in range(count)
    ]


def by_entry(awards):
    return {(a.entry_id, a.kind): a for a in awards}


def test_expert_only_levels_by_count_then_percent_within_each_group():
    contest = make_contest([("一等奖", 1, None), ("二等奖", None, 50)], popularity_award=False)
    primary = entries_in(contest, 0, 4)
    middle = entries_in(contest, 1, 2, start=10)
    scores = {primary[0].pk: 70, primary[1].pk: 90, primary[2].pk: 80, primary[3].pk: 60}
    scores |= {middle[0].pk: 50, middle[1].pk: 55}

    awards = compute_awards(contest, scores, {})

    names = {a.entry_id: (a.level_id, a.rank) for a in awards}
    first, second = contest.award_levels.order_by("sort_order")
    # Group of 4: one first prize, then 50 % of 4 = 2 second prizes.
    assert names[primary[1].pk] == (first.pk, 1)
    assert names[primary[2].pk] == (second.pk, 2)
    assert names[primary[0].pk] == (second.pk, 3)
    assert primary[3].pk not in names
    # Group of 2: one first prize, 50 % of 2 = 1 second prize.
    assert names[middle[1].pk] == (first.pk, 1)
    assert names[middle[0].pk] == (second.pk, 2)


def test_popularity_is_weighted_and_normalised_by_the_groups_most_votes():
    contest = make_contest([("一等奖", 1, None)], expert_weight=80, popularity_award=False)
    a, b = entries_in(contest, 0, 2)
    # a: 0.8*90 + 0.2*(10/40*100) = 77; b: 0.8*80 + 0.2*100 = 84.
    awards = compute_awards(contest, {a.pk: 90, b.pk: 80}, {a.pk: 10, b.pk: 40})

    assert [(x.entry_id, x.final_score) for x in awards] == [(b.pk, Decimal("84.00"))]


def test_ties_are_broken_by_expert_score_votes_then_entry_number():
    contest = make_contest([("一等奖", 3, None)], expert_weight=50, popularity_award=False)
    a, b, c = entries_in(contest, 0, 3)
    # a and b: equal final score (0.5*80+0.5*50 = 65 vs 0.5*30+0.5*100 = 65): a has the
    # higher expert score. c equals b exactly (same score and votes): lower number first.
    scores = {a.pk: 80, b.pk: 30, c.pk: 30}
    votes = {a.pk: 5, b.pk: 10, c.pk: 10}

    ranks = [x.entry_id for x in compute_awards(contest, scores, votes)]

    assert ranks == [a.pk, b.pk, c.pk]
    assert ranks == [x.entry_id for x in compute_awards(contest, scores, votes)]


def test_the_popularity_award_goes_to_the_most_voted_entry_of_each_group():
    contest = make_contest([("一等奖", 1, None)], popularity_award=True)
    primary = entries_in(contest, 0, 3)
    middle = entries_in(contest, 1, 2, start=10)
    scores = {e.pk: 60 + i for i, e in enumerate(primary + middle)}
    votes = {primary[0].pk: 30, primary[1].pk: 30, primary[2].pk: 2, middle[0].pk: 0}

    awards = compute_awards(contest, scores, votes)

    popular = [a for a in awards if a.kind == EntryAward.Kind.POPULARITY]
    # Tie on 30 votes: the higher final score (primary[1], 61) wins. Nobody in 初中组 has a vote.
    assert [(a.entry_id, a.level_id, a.votes) for a in popular] == [(primary[1].pk, None, 30)]
    # Expert weight 100: votes do not change the level awards.
    assert (primary[2].pk, EntryAward.Kind.EXPERT) in {(a.entry_id, a.kind) for a in awards}


def test_withdrawn_drafts_and_unscored_entries_win_nothing():
    contest = make_contest([("优秀奖", 10, None)])
    scored, _unscored, withdrawn = entries_in(contest, 0, 3)
    Entry.objects.filter(pk=withdrawn.pk).update(status=Entry.Status.WITHDRAWN)

    awards = compute_awards(contest, {scored.pk: 50, withdrawn.pk: 99}, {withdrawn.pk: 100})

    assert [(a.entry_id, a.kind) for a in awards] == [(scored.pk, EntryAward.Kind.EXPERT)]


def test_publishing_twice_changes_nothing_and_keeps_certificate_codes():
    contest = make_contest([("一等奖", 1, None), ("二等奖", 1, None)])
    a, b, c = entries_in(contest, 0, 3)
    scores, votes = {a.pk: 90, b.pk: 80, c.pk: 70}, {c.pk: 3}

    publish_results(contest, scores, votes)
    first = sorted(AwardCertificate.objects.values_list("code", "holder", "award__entry_id"))
    publish_results(contest, scores, votes)

    assert EntryAward.objects.filter(contest=contest).count() == 3  # 2 levels + 人气奖
    assert sorted(AwardCertificate.objects.values_list("code", "holder", "award__entry_id")) == (
        first
    )
    # One certificate for the student and one for the advising teacher per award.
    assert len(first) == 6
    assert all(award.published for award in EntryAward.objects.all())


def test_republishing_with_other_scores_replaces_the_awards():
    contest = make_contest([("一等奖", 1, None)], popularity_award=False)
    a, b = entries_in(contest, 0, 2)
    publish_results(contest, {a.pk: 90, b.pk: 80}, {})
    publish_results(contest, {a.pk: 70, b.pk: 80}, {})

    assert list(EntryAward.objects.values_list("entry_id", flat=True)) == [b.pk]
    assert not AwardCertificate.objects.filter(award__entry=a).exists()


def test_the_student_certificate_carries_a_masked_name_only():
    contest = make_contest([("一等奖", 1, None)], popularity_award=False)
    (entry,) = entries_in(contest, 0, 1)
    entry.author.display_name = "李小明"
    entry.author.save()
    publish_results(contest, {entry.pk: 90}, {})

    student = AwardCertificate.objects.get(holder=AwardCertificate.Holder.STUDENT)
    assert student.holder_name == "李**"
    assert student.award_name == "一等奖"
    assert student.entry_number == entry.display_number


def test_units_are_ranked_by_awards_then_entries():
    contest = make_contest([("一等奖", 1, None), ("二等奖", 2, None)], popularity_award=False)
    east = Unit.objects.create(kind=Unit.Kind.SCHOOL, name="东城实验小学")
    west = Unit.objects.create(kind=Unit.Kind.SCHOOL, name="西城第二小学")
    entries = entries_in(contest, 0, 5)
    for entry, school in zip(entries, [east, west, west, east, east], strict=True):
        entry.school = school
        entry.save()
    # Awards: 1st entries[0] (east), 2nd entries[1] and entries[2] (west).
    publish_results(contest, {e.pk: 100 - i for i, e in enumerate(entries)}, {})

    ranking = [
        (row.name, row.awards, row.first_prizes, row.entries) for row in unit_ranking(contest)
    ]

    assert ranking == [("西城第二小学", 2, 0, 2), ("东城实验小学", 1, 1, 3)]


def test_popularity_certificates_name_the_award_in_chinese_whatever_the_language():
    from django.utils import translation

    contest = make_contest([], popularity_award=True)
    (entry,) = entries_in(contest, 0, 1)
    with translation.override("en"):
        publish_results(contest, {}, {entry.pk: 5})

    assert set(AwardCertificate.objects.values_list("award_name", flat=True)) == {"人气奖"}
