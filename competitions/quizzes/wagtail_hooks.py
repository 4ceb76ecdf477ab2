"""Quiz administration in Wagtail: each concept's admin module is imported here."""

# Prizes and the prize draw: admin views, menu item and permissions.
from . import prize_admin  # noqa: F401
