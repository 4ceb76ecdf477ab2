"""Contest administration in Wagtail: each concept's admin module is imported here."""

# --- results (exhibited entries, export downloads) and demo contests -------------------------
from wagtail import hooks

from . import results_admin  # noqa: F401


@hooks.register("kepu_load_demo")
def load_demo_contests(home, report):
    from .demo import load

    load(home, report)
