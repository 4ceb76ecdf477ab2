"""The blind judge workspace under /judge/: a queue and one score sheet per assignment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from competitions.submissions.files.links import file_url
from competitions.submissions.files.variants import ORIGINAL, VIDEO
from competitions.submissions.models import EntryFile

from . import workspace
from .forms import ScoreForm
from .models import Score
from .scoring import ScoringError, save_score


@login_required
def queue(request):
    return render(request, "judging/queue.html", {"rounds": workspace.queue(request.user)})


@login_required
def score_sheet(request, assignment_id: int):
    assignment = workspace.assignment_for(request.user, assignment_id)
    criteria = list(assignment.round.rubric.criteria.all())
    score = Score.objects.filter(assignment=assignment).first()
    initial_points = {p.criterion_id: p.points for p in score.points.all()} if score else {}
    locked = score is not None and score.status == Score.Status.SUBMITTED
    form = ScoreForm(
        request.POST or None,
        criteria=criteria,
        initial_points=initial_points,
        initial={"comment": score.comment if score else ""},
    )
    if request.method == "POST" and not locked and form.is_valid():
        submit = "submit" in request.POST
        try:
            save_score(assignment, form.points(), form.cleaned_data["comment"], submit=submit)
        except ScoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Score submitted.") if submit else _("Draft saved."))
            if submit:
                return redirect("judging:queue")
            return redirect("judging:entry", assignment.pk)
    return render(
        request,
        "judging/entry.html",
        {
            "assignment": assignment,
            "entry": (entry := workspace.blind_entry(assignment)),
            # Videos as the transcoded MP4: their originals keep the camera's metadata.
            "file_links": [
                file_url(request, entry_file, VIDEO if entry_file.video_id else ORIGINAL)
                for entry_file in EntryFile.objects.filter(pk__in=entry["file_ids"]).order_by(
                    "sort_order", "pk"
                )
            ],
            "form": form,
            "score": score,
            "locked": locked,
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )
