"""Participant-facing quiz URLs, under /quiz/ (see kepu/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "quizzes"

urlpatterns = []
