from wagtail import hooks

# --- search site: query report, indexing-failure warning (search/admin_views.py) -------------
from . import admin_views  # noqa: F401


@hooks.register("kepu_load_demo")
def index_demo_content(home, report):
    """The demo is searchable right away: a reconcile runs once the demo data is committed."""
    from .indexing import request_reconcile

    request_reconcile()
    report.append("Search index: brought up to date after loading.")
