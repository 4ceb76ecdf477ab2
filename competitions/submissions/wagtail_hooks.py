"""Contest administration in Wagtail: each concept's admin module is imported here."""

# --- demo contests (results, exhibition, public vote): competitions/submissions/demo.py -------
from wagtail import hooks


@hooks.register("kepu_load_demo")
def load_demo_contests(home, report):
    from .demo import load

    load(home, report)
