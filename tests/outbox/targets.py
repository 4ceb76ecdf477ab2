"""The outbox job of the worker tests: the test worker imports this module (tests/conftest.py)."""

from django.contrib.auth.models import Group

from outbox.jobs import job


@job("tests.create_group")
def create_group(name: str) -> None:
    Group.objects.get_or_create(name=name)
