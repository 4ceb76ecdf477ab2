"""Quiz administration in Wagtail: each concept's admin module is imported here."""

from . import stats_admin  # noqa: F401  statistics and exports
