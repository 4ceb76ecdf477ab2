"""Giving each entry to N judges of its group's panel (assign_entries) and moving a judge's
unscored work to others when they drop out (withdraw_judge)."""

from collections import Counter

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from competitions.submissions.models import Entry

from .eligibility import eligible_entries
from .judges import eligible_judges
from .models import Assignment, Judge, JudgingPanel, JudgingRound, Score


class AssignmentError(Exception):
    """Not enough judges; the message is for organisers and nothing was changed."""


def _judge_schools(user_ids) -> dict[int, int | None]:
    return dict(Judge.objects.filter(user_id__in=user_ids).values_list("user_id", "school_id"))


@transaction.atomic
def assign_entries(round: JudgingRound) -> int:
    """Gives every eligible entry of `round` to `contest.judges_per_entry` judges of its
    group's panel and returns how many assignments were created.

    Guarantees: a judge never gets an entry from their own school (Judge.school equal to
    Entry.school); the judge with the fewest assignments in the round is chosen first, ties
    broken by user id, so the result is deterministic; idempotent (entries that already have
    enough judges get none); all or nothing — when some entry cannot get enough judges an
    AssignmentError names it and no assignment is created.
    """
    round = JudgingRound.objects.select_for_update().get(pk=round.pk)
    wanted = round.contest.judges_per_entry
    panels = {
        panel.group_id: sorted(user.pk for user in panel.judges.filter(is_active=True))
        for panel in JudgingPanel.objects.filter(round=round).prefetch_related("judges")
    }
    schools = _judge_schools({pk for judges in panels.values() for pk in judges})
    load = Counter(
        dict(
            Assignment.objects.filter(round=round)
            .values_list("judge_id")
            .annotate(n=Count("pk"))
            .values_list("judge_id", "n")
        )
    )
    existing: dict[int, set[int]] = {}
    for entry_id, judge_id in Assignment.objects.filter(round=round).values_list(
        "entry_id", "judge_id"
    ):
        existing.setdefault(entry_id, set()).add(judge_id)

    new: list[Assignment] = []
    problems: list[str] = []
    entries: list[Entry] = list(eligible_entries(round).select_related("group"))
    for entry in entries:
        have = existing.get(entry.pk, set())
        missing = wanted - len(have)
        if missing <= 0:
            continue
        candidates = [
            pk
            for pk in panels.get(entry.group_id, [])
            if pk not in have and not (entry.school_id and schools.get(pk) == entry.school_id)
        ]
        if len(candidates) < missing:
            problems.append(
                _(
                    "Entry %(number)s (%(group)s) needs %(missing)s more judges but only %(free)s "
                    "judges of its panel are free of a conflict of interest."
                )
                % {
                    "number": entry.display_number,
                    "group": entry.group.name,
                    "missing": missing,
                    "free": len(candidates),
                }
            )
            continue
        chosen = sorted(candidates, key=lambda pk: (load[pk], pk))[:missing]
        for pk in chosen:
            load[pk] += 1
            new.append(Assignment(round=round, entry=entry, judge_id=pk))
    if problems:
        raise AssignmentError(" ".join(problems))
    Assignment.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def assign_to_judges(round: JudgingRound, entries, judges) -> int:
    """Gives each of `entries` to each of `judges` in `round` (an organiser's choice, beside
    the balanced `assign_entries`) and returns how many assignments were created.

    Guarantees: all or nothing — an AssignmentError names every problem and nothing is
    created when an entry is not judged in this round (another contest, not submitted,
    ruled out, not advanced) or a judge may not judge it (not an adult, an entrant of the
    contest, or from the entry's school). Idempotent: pairs already assigned stay as they
    are.
    """
    round = JudgingRound.objects.select_for_update().select_related("contest").get(pk=round.pk)
    entries, judges = list(entries), list(judges)
    judged = set(
        eligible_entries(round).filter(pk__in=[e.pk for e in entries]).values_list("pk", flat=True)
    )
    allowed = set(
        eligible_judges(round.contest)
        .filter(pk__in=[j.pk for j in judges])
        .values_list("pk", flat=True)
    )
    schools = _judge_schools([j.pk for j in judges])
    problems = [
        _("Entry %(number)s is not judged in %(round)s.")
        % {"number": entry.display_number or entry.title, "round": round.name}
        for entry in entries
        if entry.pk not in judged
    ]
    problems += [
        _("%(judge)s cannot judge this contest: only adults who take no part in it can.")
        % {"judge": judge}
        for judge in judges
        if judge.pk not in allowed
    ]
    problems += [
        _("%(judge)s works at the school of entry %(number)s.")
        % {"judge": judge, "number": entry.display_number}
        for entry in entries
        for judge in judges
        if entry.school_id and schools.get(judge.pk) == entry.school_id
    ]
    if problems:
        raise AssignmentError(" ".join(problems))
    existing = set(
        Assignment.objects.filter(round=round, entry__in=entries).values_list(
            "entry_id", "judge_id"
        )
    )
    new = [
        Assignment(round=round, entry=entry, judge=judge)
        for entry in entries
        for judge in judges
        if (entry.pk, judge.pk) not in existing
    ]
    Assignment.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def withdraw_judge(round: JudgingRound, user) -> int:
    """Takes `user` off every panel of `round` and moves their assignments without a
    submitted score to other judges (same rules as assign_entries). Submitted scores stay.
    Returns how many assignments were moved; all or nothing (AssignmentError)."""
    for panel in JudgingPanel.objects.filter(round=round, judges=user):
        panel.judges.remove(user)
    unscored = Assignment.objects.filter(round=round, judge=user).exclude(
        score__status=Score.Status.SUBMITTED
    )
    moved = unscored.count()
    unscored.delete()
    assign_entries(round)
    return moved


def progress(round: JudgingRound) -> list[dict]:
    """Per judge of the round: assigned, submitted and remaining counts, by username."""
    rows = (
        Assignment.objects.filter(round=round)
        .values("judge_id", "judge__username", "judge__email")
        .annotate(
            assigned=Count("pk"),
            submitted=Count("pk", filter=Q(score__status=Score.Status.SUBMITTED)),
        )
        .order_by("judge__username")
    )
    return [{**row, "remaining": row["assigned"] - row["submitted"]} for row in rows]
