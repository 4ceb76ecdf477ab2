"""Celery tasks of the submissions app: thin wrappers around its services."""
