from datetime import timedelta

from django.db import connection
from django.utils import timezone

from kepu.postgresql.base import MAX_SERVER_SIDE_PARAMS
from outbox.models import OutboxMessage

COLUMNS = 10  # what one OutboxMessage inserts


def _messages(count):
    due = timezone.now() + timedelta(days=1)
    return [OutboxMessage(target="tests.noop", args=[n], available_at=due) for n in range(count)]


def test_tests_bind_parameters_on_the_server_as_production_does(db):
    assert connection.features.uses_server_side_binding
    assert connection.features.max_query_params == MAX_SERVER_SIDE_PARAMS


def test_a_bulk_create_beyond_the_parameter_limit_writes_every_row(db):
    count = MAX_SERVER_SIDE_PARAMS // COLUMNS + 500

    created = OutboxMessage.objects.bulk_create(_messages(count))

    assert len({message.pk for message in created}) == count
    assert OutboxMessage.objects.filter(target="tests.noop").count() == count


def test_a_bulk_update_beyond_the_parameter_limit_is_written_in_batches(db):
    # Each row of a one-field bulk update carries its key twice and its value.
    count = MAX_SERVER_SIDE_PARAMS // 3 + 500
    messages = OutboxMessage.objects.bulk_create(_messages(count))
    for message in messages:
        message.attempts = 3

    OutboxMessage.objects.bulk_update(messages, ["attempts"])

    assert OutboxMessage.objects.filter(attempts=3).count() == count
