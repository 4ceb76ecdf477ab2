from collections import Counter

import pytest

from competitions.core.models import Unit
from competitions.judging.assignment import AssignmentError, assign_entries, withdraw_judge
from competitions.judging.models import Assignment
from tests.factories.contests import EntryFactory
from tests.factories.judging import JudgeFactory, JudgingPanelFactory, JudgingRoundFactory
from tests.factories.users import UserFactory

from .conftest import submitted

pytestmark = pytest.mark.django_db


def judges_of(entry, round):
    return set(Assignment.objects.filter(round=round, entry=entry).values_list("judge", flat=True))


def test_each_entry_gets_three_distinct_judges_and_the_load_is_balanced():
    round = JudgingRoundFactory()
    judges = UserFactory.create_batch(4)
    JudgingPanelFactory(round=round, judges=judges)
    entries = EntryFactory.create_batch(6, contest=round.contest)

    created = assign_entries(round)

    assert created == 18
    for entry in entries:
        assert len(judges_of(entry, round)) == 3
    load = Counter(Assignment.objects.filter(round=round).values_list("judge", flat=True))
    assert sorted(load.values()) == [4, 4, 5, 5]


def test_assignment_is_idempotent_and_deterministic():
    round = JudgingRoundFactory()
    JudgingPanelFactory(round=round, judges=UserFactory.create_batch(5))
    EntryFactory.create_batch(4, contest=round.contest)

    assign_entries(round)
    first = set(Assignment.objects.values_list("entry", "judge"))

    assert assign_entries(round) == 0
    assert set(Assignment.objects.values_list("entry", "judge")) == first


def test_only_submitted_entries_are_assigned_and_only_to_their_groups_panel():
    round = JudgingRoundFactory()
    primary, middle = round.contest.groups.order_by("sort_order")
    primary_judges = UserFactory.create_batch(3)
    middle_judges = UserFactory.create_batch(3)
    JudgingPanelFactory(round=round, group=primary, judges=primary_judges)
    JudgingPanelFactory(round=round, group=middle, judges=middle_judges)
    small = EntryFactory(contest=round.contest, group=primary)
    big = EntryFactory(contest=round.contest, group=middle)
    draft = EntryFactory(contest=round.contest, status="draft", number=None, submitted_at=None)

    assign_entries(round)

    assert judges_of(small, round) == {u.pk for u in primary_judges}
    assert judges_of(big, round) == {u.pk for u in middle_judges}
    assert judges_of(draft, round) == set()


def test_a_judge_never_gets_an_entry_from_their_own_school():
    round = JudgingRoundFactory()
    school = Unit.objects.create(kind="school", name="西湖小学")
    conflicted = JudgeFactory(school=school).user
    others = UserFactory.create_batch(3)
    JudgingPanelFactory(round=round, judges=[conflicted, *others])
    own_pupils = EntryFactory.create_batch(3, contest=round.contest, school=school)
    strangers = EntryFactory.create_batch(3, contest=round.contest)

    assign_entries(round)

    for entry in own_pupils:
        assert judges_of(entry, round) == {u.pk for u in others}
    # The conflicted judge takes a fair share of the other entries instead.
    assert Assignment.objects.filter(judge=conflicted).count() == 3
    assert all(conflicted.pk in judges_of(entry, round) for entry in strangers)


def test_too_few_judges_without_a_conflict_is_refused_and_nothing_is_assigned():
    round = JudgingRoundFactory()
    school = Unit.objects.create(kind="school", name="西湖小学")
    conflicted = JudgeFactory(school=school).user
    JudgingPanelFactory(round=round, judges=[conflicted, *UserFactory.create_batch(2)])
    EntryFactory(contest=round.contest)
    entry = EntryFactory(contest=round.contest, school=school)

    with pytest.raises(AssignmentError) as error:
        assign_entries(round)

    assert entry.display_number in str(error.value)
    assert "利益冲突" in str(error.value)
    assert not Assignment.objects.exists()


def test_a_group_without_a_panel_is_refused():
    round = JudgingRoundFactory()
    EntryFactory(contest=round.contest)

    with pytest.raises(AssignmentError):
        assign_entries(round)
    assert not Assignment.objects.exists()


def test_when_a_judge_drops_out_their_unscored_entries_move_and_scored_ones_stay():
    round = JudgingRoundFactory()
    judges = UserFactory.create_batch(5)
    panel = JudgingPanelFactory(round=round, judges=judges)
    entries = EntryFactory.create_batch(5, contest=round.contest)
    assign_entries(round)
    leaving = judges[0]
    theirs = list(Assignment.objects.filter(judge=leaving).order_by("pk"))
    submitted(theirs[0], 70)

    moved = withdraw_judge(round, leaving)

    assert moved == len(theirs) - 1
    assert list(Assignment.objects.filter(judge=leaving)) == [theirs[0]]
    assert leaving not in panel.judges.all()
    for entry in entries:
        assert len(judges_of(entry, round)) == 3
    load = Counter(
        Assignment.objects.exclude(judge=leaving).values_list("judge", flat=True)
    ).values()
    assert max(load) - min(load) <= 1


def test_a_drop_out_that_leaves_too_few_judges_changes_nothing():
    round = JudgingRoundFactory()
    judges = UserFactory.create_batch(3)
    panel = JudgingPanelFactory(round=round, judges=judges)
    EntryFactory.create_batch(2, contest=round.contest)
    assign_entries(round)

    with pytest.raises(AssignmentError):
        withdraw_judge(round, judges[0])

    assert Assignment.objects.filter(judge=judges[0]).count() == 2
    assert judges[0] in panel.judges.all()
