import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from competitions.judging.models import Assignment, CriterionScore, Score
from competitions.judging.scoring import ScoringError, save_score
from tests.factories.judging import AssignmentFactory

pytestmark = pytest.mark.django_db


def criteria(assignment):
    content, expression = assignment.round.rubric.criteria.order_by("sort_order")
    return content, expression


def test_a_draft_can_be_saved_resumed_and_submitted_with_a_weighted_total():
    assignment = AssignmentFactory()
    content, expression = criteria(assignment)

    draft = save_score(assignment, {content.pk: Decimal(6)}, "初稿", submit=False)
    assert draft.status == Score.Status.DRAFT and draft.total is None

    score = save_score(
        assignment, {content.pk: Decimal(8), expression.pk: Decimal(4)}, " 观察细致 ", submit=True
    )

    # (3 × 8/10 + 1 × 4/5) / 4 × 100
    assert score.total == Decimal("80.00")
    assert score.comment == "观察细致"
    assert score.status == Score.Status.SUBMITTED
    assert Score.objects.count() == 1
    assert {p.criterion_id: p.points for p in score.points.all()} == {
        content.pk: Decimal(8),
        expression.pk: Decimal(4),
    }


def test_a_submitted_score_is_locked():
    assignment = AssignmentFactory()
    content, expression = criteria(assignment)
    save_score(assignment, {content.pk: 8, expression.pk: 4}, "", submit=True)

    with pytest.raises(ScoringError, match="不能再修改"):
        save_score(assignment, {content.pk: 10, expression.pk: 5}, "", submit=True)

    assert Score.objects.get().total == Decimal("80.00")


def test_submitting_needs_every_criterion_and_points_within_the_maximum():
    assignment = AssignmentFactory()
    content, expression = criteria(assignment)

    with pytest.raises(ScoringError, match="表达"):
        save_score(assignment, {content.pk: 8}, "", submit=True)
    with pytest.raises(ScoringError, match="0"):
        save_score(assignment, {content.pk: 8, expression.pk: 6}, "", submit=False)

    assert not CriterionScore.objects.exists()


def test_scores_cannot_change_once_the_round_has_closed():
    assignment = AssignmentFactory(
        round__opens_at=timezone.now() - datetime.timedelta(days=9),
        round__closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    content, expression = criteria(assignment)

    with pytest.raises(ScoringError, match="未开放"):
        save_score(assignment, {content.pk: 8, expression.pk: 4}, "", submit=True)
    assert not Score.objects.exists()


def test_the_database_keeps_one_score_per_judge_and_entry():
    assignment = AssignmentFactory()
    Score.objects.create(assignment=assignment)

    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(assignment=assignment)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            round=assignment.round, entry=assignment.entry, judge=assignment.judge
        )


def test_the_database_refuses_points_above_the_maximum():
    assignment = AssignmentFactory()
    content, _expression = criteria(assignment)
    score = Score.objects.create(assignment=assignment)

    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionScore.objects.create(score=score, criterion=content, points=11, max_points=10)
