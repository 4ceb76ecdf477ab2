"""Judging administration in Wagtail (viewsets.py, the entries' "assign to judges" action)."""

from wagtail import hooks

# Rounds, rubrics, panels and judges (评审 menu); progress, reminders and results.
from . import viewsets  # noqa: F401
from .entry_actions import AssignJudgesBulkAction

hooks.register("register_bulk_action", AssignJudgesBulkAction)
