import time

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from outbox import services
from outbox.models import OutboxMessage

from . import targets  # noqa: F401  (registers the job enqueued here)

pytestmark = pytest.mark.worker


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_real_worker_delivers_outbox_work_through_redis(celery_worker):
    with transaction.atomic():
        message = services.enqueue("tests.create_group", "来自队列的组")
    # Not eager: the work happens in the worker process, not here.

    assert wait_for(lambda: Group.objects.filter(name="来自队列的组").exists())
    assert wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).completed_at is not None)


def test_work_whose_dispatch_was_lost_is_delivered_by_the_relay(celery_worker):
    from django.utils import timezone

    # Committed, but the process died before handing it to the broker.
    message = OutboxMessage.objects.create(
        target="tests.create_group", args=["延迟送达"], available_at=timezone.now()
    )

    assert services.relay() == 1

    assert wait_for(lambda: Group.objects.filter(name="延迟送达").exists())
    assert wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).completed_at is not None)
