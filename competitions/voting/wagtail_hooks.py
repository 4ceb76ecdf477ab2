"""Public voting administration in Wagtail: fraud monitoring and voiding (fraud_admin.py)."""

from wagtail import hooks

from . import fraud_admin  # noqa: F401


@hooks.register("kepu_load_demo", order=30)
def load_demo_votes(home, report):
    """Votes for the demo contests (after the contests exist, order 0)."""
    from .demo import load

    load(home, report)
