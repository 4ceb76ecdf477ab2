"""Popularity in the Wagtail admin (admin.py): weights per contest and the monitoring desk."""

from . import admin  # noqa: F401
