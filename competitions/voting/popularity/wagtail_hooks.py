"""Popularity in the Wagtail admin (viewsets.py): weights per contest and the monitoring
desk."""

from wagtail import hooks

from . import viewsets  # noqa: F401


@hooks.register("kepu_load_demo", order=40)
def load_demo_popularity(home, report):
    """Share opens and comments for the demo video contest (after its votes, order 30)."""
    from .demo import load

    load(report)
