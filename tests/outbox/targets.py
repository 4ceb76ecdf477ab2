"""Outbox targets used by the worker tests (importable by the worker process)."""

from django.contrib.auth.models import Group


def create_group(name: str) -> None:
    Group.objects.get_or_create(name=name)
