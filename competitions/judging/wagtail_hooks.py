"""Judging administration in Wagtail (viewsets.py, the entries' "assign to judges" action)."""

from wagtail import hooks

# Rounds, rubrics, panels and judges (评审 menu); progress, reminders and results.
from . import viewsets  # noqa: F401
from .entry_actions import AssignJudgesBulkAction

hooks.register("register_bulk_action", AssignJudgesBulkAction)


@hooks.register("kepu_load_demo", order=20)
def load_demo_judging(home, report):
    """Judges, assignments and scores for the demo contests (after they exist, order 0)."""
    from .demo import load

    load(home, report)
