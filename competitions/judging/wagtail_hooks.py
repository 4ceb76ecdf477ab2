"""Judging administration in Wagtail: each concept's admin module is imported here."""

from wagtail import hooks

# Rounds, rubrics, panels and judges (评审 menu); progress, reminders and results.
from . import (
    admin,  # noqa: F401
    progress_admin,  # noqa: F401
)
from .entry_actions import AssignJudgesBulkAction

hooks.register("register_bulk_action", AssignJudgesBulkAction)
