"""Quiz administration in Wagtail: each concept's admin module is imported here."""

# Question banks, questions, quizzes and units (知识竞答 menu), spreadsheet import/export.
from . import admin  # noqa: F401
