"""Outbox jobs by stable name: what a stored message's `target` means.

A job is a function decorated with `@job("app.verb_object")`; `enqueue("app.verb_object", …)`
stores that name, never an import path, so the function can move between modules without
touching messages already stored (they outlive deploys). Each app imports its job modules in
`AppConfig.ready()`, so every process (web, worker, management command) knows every job once
Django is set up; `manage.py check --database default` reports pending messages that name no
job (outbox/checks.py). Renaming a job needs a data migration for the stored messages, as
outbox/migrations/0002_job_names.py did when names replaced import paths.

This module imports no app's models, so any module may declare jobs at import time.
"""

import re
from collections.abc import Callable
from functools import partial
from importlib import import_module

from django.core.exceptions import ImproperlyConfigured

# "app.verb_object": lower case, at least two dotted parts; the model field holds 255.
NAME = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+")

# The job that runs a django-tasks Task (Wagtail's background work) by its path: those paths
# belong to Wagtail, not to us (outbox/backends.py).
DJANGO_TASK = "outbox.run_django_task"

# Import paths that messages written by the release before job names may still carry, if an
# old web process enqueued them while the new code was rolled out (the data migration renamed
# those stored before it ran): resolved to their jobs for that one release, by the
# migration's own table, then dropped.
_renames = import_module("outbox.migrations.0002_job_names")
FORMER_NAMES: dict[str, str] = _renames.RENAMED
FORMER_DJANGO_TASKS = frozenset(_renames.DJANGO_TASKS)

_jobs: dict[str, Callable] = {}


class UnknownJob(LookupError):
    """No job is registered under the name a message carries."""


def _path(func: Callable) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def job(name: str) -> Callable[[Callable], Callable]:
    """Register the decorated function as the outbox job `name` and return it unchanged.

    Guarantees one function per name: registering a different function under a taken name
    raises ImproperlyConfigured (importing the same module again is harmless). The function
    is called with the message's arguments, at least once: it must be idempotent.
    """
    if not NAME.fullmatch(name) or len(name) > 255:
        raise ImproperlyConfigured(f"{name!r} is not a job name (app.verb_object)")

    def register(func: Callable) -> Callable:
        known = _jobs.get(name)
        if known is not None and _path(known) != _path(func):
            raise ImproperlyConfigured(f"outbox job {name!r} is already {_path(known)}")
        _jobs[name] = func
        return func

    return register


def require(name: str) -> str:
    """Return `name` if a job is registered under it; raise UnknownJob otherwise."""
    if name not in _jobs:
        raise UnknownJob(f"no outbox job is registered as {name!r}")
    return name


def get(name: str) -> Callable:
    """The function a stored message named `name` runs; raises UnknownJob if there is none.

    Besides registered names, resolves the former import paths (FORMER_NAMES and Wagtail's
    tasks), so messages an old process wrote during a deploy still run.
    """
    if name in FORMER_DJANGO_TASKS:
        return partial(get(DJANGO_TASK), name)
    func = _jobs.get(FORMER_NAMES.get(name, name))
    if func is None:
        raise UnknownJob(f"no outbox job is registered as {name!r}")
    return func


def resolves(name: str) -> bool:
    """True if a message named `name` can run in this process."""
    try:
        get(name)
    except UnknownJob:
        return False
    return True


def names() -> frozenset[str]:
    """The registered job names."""
    return frozenset(_jobs)
