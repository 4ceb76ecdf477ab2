"""Embedded mode for a laptop: SQLite (WAL), eager Celery, local-memory cache, local media."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
# Demo content (`manage.py load_demo`, run by scripts/run): development and tests only.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
