"""Contest administration in Wagtail: each concept's admin module is imported here."""

from wagtail import hooks

# Contests and entries (作品征集 menu); results (exhibited entries, export downloads).
from . import (
    admin,  # noqa: F401
    contest_results_admin,  # noqa: F401
    results_admin,  # noqa: F401
)
from .entry_actions.actions import ACTIONS

for _action in ACTIONS:
    hooks.register("register_bulk_action", _action)


@hooks.register("kepu_load_demo")
def load_demo_contests(home, report):
    from .demo import load

    load(home, report)


@hooks.register("kepu_load_demo", order=90)
def publish_demo_contest_results(home, report):
    """After the judging (order 20) and voting (order 30) demos: publish from their data."""
    from .demo import publish_demo_results

    publish_demo_results(report)
