"""Assigned judges may open the files of the entries they judge (blind: see workspace.py)."""

from competitions.submissions.files.access import register_file_access

from .models import Assignment


@register_file_access
def assigned_judge(user, entry_file) -> bool:
    return Assignment.objects.filter(judge=user, entry_id=entry_file.entry_id).exists()
