"""Popularity in the Wagtail admin (viewsets.py): weights per contest and the monitoring
desk."""

from . import viewsets  # noqa: F401
