"""What a judge sees: only their own assignments, and of each entry only what is blind."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from competitions.submissions.models import Entry

from .models import Assignment, Score


def judge_assignments(user) -> QuerySet[Assignment]:
    """The user's assignments of entries still in the contest, newest round first."""
    return (
        Assignment.objects.filter(judge=user, entry__status=Entry.Status.SUBMITTED)
        .select_related("round", "round__contest", "entry", "entry__group", "score")
        .order_by("-round__opens_at", "round_id", "entry__number")
    )


def queue(user) -> list[dict]:
    """Per round: the assignments and the progress (x of y submitted)."""
    rounds: dict[int, dict] = {}
    for assignment in judge_assignments(user):
        row = rounds.setdefault(
            assignment.round_id,
            {"round": assignment.round, "assignments": [], "submitted": 0},
        )
        row["assignments"].append(assignment)
        score = getattr(assignment, "score", None)
        if score is not None and score.status == Score.Status.SUBMITTED:
            row["submitted"] += 1
    return list(rounds.values())


def assignment_for(user, assignment_id: int) -> Assignment:
    """The assignment if it is the user's; 404 otherwise (no hint that it exists)."""
    return get_object_or_404(judge_assignments(user), pk=assignment_id)


def blind_entry(assignment: Assignment) -> dict:
    """Only what judges may see: number, group, title, description, text, document text and
    the kinds of files (accepted files only: an upload still being checked, or refused, is
    not part of the work). Never the author, school, grade, teacher or co-authors."""
    entry = assignment.entry
    files = list(
        entry.files.accepted().order_by("sort_order", "pk").values("pk", "kind", "extracted_text")
    )
    return {
        "number": entry.display_number,
        "group": entry.group.name,
        "kind": entry.get_kind_display(),
        "title": entry.title,
        "description": entry.description,
        "text": entry.text,
        "documents": [f["extracted_text"] for f in files if f["extracted_text"]],
        "file_kinds": [f["kind"] for f in files],
        # Opaque file ids: the file view admits the assigned judge, and a download is
        # named "entry-file", never by the author's original file name.
        "file_ids": [f["pk"] for f in files],
    }
