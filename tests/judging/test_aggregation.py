"""Aggregation on small data sets whose numbers were worked out by hand."""

from decimal import Decimal

import pytest

from competitions.judging.advancement import AdvancementError, decide_advancement
from competitions.judging.aggregation import aggregate_round, rank, trimmed_mean
from competitions.judging.assignment import assign_entries
from competitions.judging.eligibility import eligible_entries
from competitions.judging.models import Assignment, EntryResult, JudgingRound, Score
from tests.factories.contests import EntryFactory
from tests.factories.judging import JudgingPanelFactory, JudgingRoundFactory
from tests.factories.users import UserFactory

from .conftest import submitted

pytestmark = pytest.mark.django_db


def score(round, entry, judge, total):
    submitted(Assignment.objects.create(round=round, entry=entry, judge=judge), total)


def result(round, entry):
    return EntryResult.objects.get(round=round, entry=entry)


def test_trimmed_mean_drops_the_extremes_only_from_four_scores_on():
    assert trimmed_mean([50, 70, 90]) == 70
    assert trimmed_mean([50, 70, 72, 74, 100]) == 72
    assert trimmed_mean([10, 20, 30, 100]) == 25


def test_ranks_share_places_on_ties():
    assert rank([(1, 80), (2, 90), (3, 80), (4, 70), (5, None)]) == {2: 1, 1: 2, 3: 2, 4: 4}


def test_harsh_and_lenient_judges_are_normalised_with_z_scores():
    # A harsh judge gives 40 and 60, a lenient one 80 and 100. Each judge has mean 50 / 90
    # and stdev 10, so the first entry is z = −1 and the second z = +1 for both. All four
    # totals have mean 70 and stdev √500 ≈ 22.3607: normalised 70 ∓ 22.36.
    round = JudgingRoundFactory(basis=JudgingRound.Basis.NORMALISED)
    harsh, lenient = UserFactory.create_batch(2)
    first, second = EntryFactory.create_batch(2, contest=round.contest)
    score(round, first, harsh, 40)
    score(round, second, harsh, 60)
    score(round, first, lenient, 80)
    score(round, second, lenient, 100)

    aggregate_round(round)

    one, two = result(round, first), result(round, second)
    assert (one.mean, one.trimmed_mean, one.normalised_mean) == (
        Decimal("60.00"),
        Decimal("60.00"),
        Decimal("47.64"),
    )
    assert (two.mean, two.normalised_mean) == (Decimal("80.00"), Decimal("92.36"))
    assert (one.rank_in_group, two.rank_in_group) == (2, 1)
    assert one.score_count == 2


def test_normalisation_corrects_a_harsh_judges_share():
    # Entry A is judged by the harsh judge (totals 40/30/20, mean 30, stdev 8.165) and gets
    # 40, the best of his work; entry B by the lenient one (80/70/90, mean 80) and gets 80,
    # the middle of hers. Raw means rank B first; normalised, A comes first.
    round = JudgingRoundFactory(basis=JudgingRound.Basis.NORMALISED)
    harsh, lenient = UserFactory.create_batch(2)
    a, b, *rest = EntryFactory.create_batch(6, contest=round.contest)
    score(round, a, harsh, 40)
    score(round, rest[0], harsh, 30)
    score(round, rest[1], harsh, 20)
    score(round, b, lenient, 80)
    score(round, rest[2], lenient, 70)
    score(round, rest[3], lenient, 90)

    aggregate_round(round)

    # All six totals: mean 55, stdev √(4150/6) ≈ 26.2996. A: z = 10/8.165 ≈ 1.2247 →
    # 55 + 1.2247 × 26.2996 ≈ 87.21. B: z = 0 → 55.00.
    assert result(round, a).normalised_mean == Decimal("87.21")
    assert result(round, b).normalised_mean == Decimal("55.00")
    assert result(round, a).rank_in_group == 1
    assert result(round, a).mean < result(round, b).mean


def test_trimmed_mean_and_disagreement_with_five_judges():
    round = JudgingRoundFactory(basis=JudgingRound.Basis.TRIMMED, disagreement_percent=30)
    entry = EntryFactory(contest=round.contest)
    calm = EntryFactory(contest=round.contest)
    for judge, total in zip(UserFactory.create_batch(5), [50, 70, 72, 74, 100], strict=True):
        score(round, entry, judge, total)
    for judge, total in zip(UserFactory.create_batch(3), [70, 80, 90], strict=True):
        score(round, calm, judge, total)

    aggregate_round(round)

    disputed = result(round, entry)
    assert (disputed.mean, disputed.trimmed_mean, disputed.spread) == (
        Decimal("73.20"),
        Decimal("72.00"),
        Decimal("50.00"),
    )
    assert disputed.flagged_disagreement
    assert not result(round, calm).flagged_disagreement  # spread 20 ≤ 30
    round.disagreement_percent = 60
    round.save()
    aggregate_round(round)
    assert not result(round, entry).flagged_disagreement


def test_draft_scores_do_not_count_and_unscored_entries_are_not_ranked():
    round = JudgingRoundFactory()
    judge = UserFactory()
    scored, unscored = EntryFactory.create_batch(2, contest=round.contest)
    score(round, scored, judge, 66)
    draft = Assignment.objects.create(round=round, entry=unscored, judge=judge)
    Score.objects.create(assignment=draft, total=None)

    aggregate_round(round)

    assert result(round, scored).rank_in_group == 1
    assert result(round, unscored).mean is None
    assert result(round, unscored).rank_in_group is None


def ranked_round(**kwargs):
    """Group 1: trimmed means 90, 80, 70, 80; group 2: one entry at 50."""
    round = JudgingRoundFactory(**kwargs)
    primary, middle = round.contest.groups.order_by("sort_order")
    judge = UserFactory()
    entries = {}
    for total, group in [(90, primary), (80, primary), (70, primary), (80, primary), (50, middle)]:
        entry = EntryFactory(contest=round.contest, group=group)
        score(round, entry, judge, total)
        entries.setdefault(total, []).append(entry)
    return round, entries


def test_the_top_n_of_each_group_advance_with_ties_at_the_border():
    round, entries = ranked_round(advancement=JudgingRound.Advancement.TOP_N, advance_count=2)

    advanced = decide_advancement(round)

    # 90 is first, both 80s share second place, 70 is fourth; 50 is first of its group.
    assert advanced == 4
    assert not result(round, entries[70][0]).advanced
    assert result(round, entries[50][0]).advanced


def test_entries_at_or_above_the_threshold_advance_and_make_the_next_rounds_set():
    round, entries = ranked_round(
        advancement=JudgingRound.Advancement.THRESHOLD, advance_count=None, advance_threshold=80
    )

    assert decide_advancement(round) == 3

    final = JudgingRoundFactory(contest=round.contest, rubric=round.rubric, number=2, name="终评")
    expected = {e.pk for e in [*entries[90], *entries[80]]}
    assert set(eligible_entries(final).values_list("pk", flat=True)) == expected
    primary = round.contest.groups.order_by("sort_order").first()
    JudgingPanelFactory(round=final, group=primary, judges=UserFactory.create_batch(3))
    assign_entries(final)
    assert set(Assignment.objects.filter(round=final).values_list("entry", flat=True)) == expected


def test_an_incomplete_rule_is_refused():
    round = JudgingRoundFactory(advance_count=None)

    with pytest.raises(AdvancementError):
        decide_advancement(round)
