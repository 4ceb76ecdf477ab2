"""Contest administration in Wagtail: each concept's admin module is imported here."""

# --- contests and entries (作品征集 menu): competitions/submissions/admin.py ---------------------
from . import admin  # noqa: F401
