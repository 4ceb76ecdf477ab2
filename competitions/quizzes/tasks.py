"""Celery tasks of the quizzes app: thin wrappers around its services."""

from celery import shared_task  # noqa: F401
