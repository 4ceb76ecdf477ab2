"""A judge's score sheet: save a draft, resume it, submit it (then it is locked)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Assignment, Criterion, CriterionScore, Score


class ScoringError(Exception):
    """Bad or late input; the message is for the judge and nothing was changed."""


def weighted_total(points: dict[int, Decimal], criteria: list[Criterion]) -> Decimal:
    """The total on a 0–100 scale: Σ weight·points/max ÷ Σ weight × 100, to 2 places."""
    weights = sum(c.weight for c in criteria)
    share = sum(c.weight * Decimal(points[c.pk]) / c.max_points for c in criteria) / weights
    return (share * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def save_score(
    assignment: Assignment, points: dict[int, Decimal | None], comment: str, *, submit: bool
) -> Score:
    """Stores the points per criterion id (missing or None allowed only in a draft) and the
    comment. With `submit`, every criterion needs points, the total is computed and the
    sheet is locked. Guarantees: one sheet per assignment (one-to-one); a submitted sheet
    never changes; the round must be open; points outside 0..max are refused."""
    assignment = (
        Assignment.objects.select_for_update().select_related("round").get(pk=assignment.pk)
    )
    round = assignment.round
    now = timezone.now()
    if not round.opens_at <= now < round.closes_at:
        raise ScoringError(_("This judging round is not open, so scores cannot be changed."))
    score, _created = Score.objects.get_or_create(assignment=assignment)
    if score.status == Score.Status.SUBMITTED:
        raise ScoringError(_("This score has been submitted and can no longer be changed."))
    criteria = list(round.rubric.criteria.all())
    clean: dict[int, Decimal] = {}
    for criterion in criteria:
        value = points.get(criterion.pk)
        if value is None or value == "":
            if submit:
                raise ScoringError(
                    _("Give points for every criterion before submitting (missing: %(name)s).")
                    % {"name": criterion.name}
                )
            continue
        value = Decimal(value)
        if not 0 <= value <= criterion.max_points:
            raise ScoringError(
                _("%(name)s: give between 0 and %(max)s points.")
                % {"name": criterion.name, "max": criterion.max_points}
            )
        clean[criterion.pk] = value
    score.points.exclude(criterion_id__in=clean).delete()
    for criterion in criteria:
        if criterion.pk in clean:
            CriterionScore.objects.update_or_create(
                score=score,
                criterion=criterion,
                defaults={"points": clean[criterion.pk], "max_points": criterion.max_points},
            )
    score.comment = comment.strip()
    if submit:
        score.total = weighted_total(clean, criteria)
        score.status = Score.Status.SUBMITTED
        score.submitted_at = now
    score.save()
    return score
