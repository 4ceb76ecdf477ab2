import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from outbox import services
from outbox.jobs import UnknownJob, job
from outbox.models import OutboxMessage
from tests.concurrency import at_once

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite]

CALLS = []


@job("tests.record")
def record(value):
    """A job for the outbox in these tests."""
    CALLS.append(value)


@job("tests.explode")
def explode(value):
    raise RuntimeError(f"boom {value}")


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()
    yield
    CALLS.clear()


def test_work_runs_after_the_transaction_commits():
    with transaction.atomic():
        message = services.enqueue("tests.record", "hello")
        assert CALLS == []

    assert CALLS == ["hello"]
    message.refresh_from_db()
    assert message.completed_at is not None
    assert message.attempts == 1


def test_nothing_is_recorded_or_run_when_the_transaction_rolls_back():
    with pytest.raises(ValueError), transaction.atomic():
        services.enqueue("tests.record", "lost")
        raise ValueError

    assert CALLS == []
    assert not OutboxMessage.objects.exists()


def test_a_completed_message_does_not_run_twice():
    message = services.enqueue("tests.record", "once")

    assert services.run(message.pk) is False
    assert CALLS == ["once"]


def test_a_failure_is_recorded_with_a_back_off_and_retried_by_the_relay():
    message = services.enqueue("tests.explode", 7)

    message.refresh_from_db()
    assert message.completed_at is None
    assert message.last_error == "RuntimeError: boom 7"
    assert message.available_at > timezone.now()
    assert services.relay() == 0  # not due yet

    OutboxMessage.objects.filter(pk=message.pk).update(
        target="tests.record",
        available_at=timezone.now() - timedelta(seconds=1),
    )
    assert services.relay() == 1
    message.refresh_from_db()
    assert message.completed_at is not None
    assert message.attempts == 2
    assert CALLS == [7]


def test_a_message_is_given_up_after_the_last_attempt():
    message = services.enqueue("tests.explode", 1)
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=services.MAX_ATTEMPTS - 1)

    with pytest.raises(RuntimeError):
        services.run(message.pk)

    message.refresh_from_db()
    assert message.failed_at is not None
    assert services.run(message.pk) is False


def coalesced(value):
    services.enqueue_coalesced(
        "tests.record", value, delay=timedelta(seconds=10), margin=timedelta(seconds=5)
    )


def test_coalesced_runs_share_a_waiting_message_until_it_is_about_to_be_due():
    coalesced("a")
    coalesced("a")
    coalesced("b")
    assert sorted(OutboxMessage.objects.values_list("args", flat=True)) == [["a"], ["b"]]

    OutboxMessage.objects.update(available_at=timezone.now() + timedelta(seconds=2))
    coalesced("a")
    assert OutboxMessage.objects.filter(args=["a"]).count() == 2

    # The relay hands each over when due; none runs before.
    assert CALLS == [] and services.relay() == 0
    OutboxMessage.objects.update(available_at=timezone.now() - timedelta(seconds=1))
    assert services.relay() == 3
    assert sorted(CALLS) == ["a", "a", "b"]
    coalesced("a")  # the handed-over ones are not reused
    assert OutboxMessage.objects.filter(args=["a"], completed_at__isnull=True).count() == 1


def test_a_coalesced_message_is_not_recorded_when_the_transaction_rolls_back():
    with pytest.raises(ValueError), transaction.atomic():
        coalesced("lost")
        raise ValueError

    assert not OutboxMessage.objects.exists()


def test_relay_hands_over_messages_whose_dispatch_was_lost():
    # Recorded, but the process died before its after-commit dispatch.
    message = OutboxMessage.objects.create(
        target="tests.record",
        args=["late"],
        available_at=timezone.now() - timedelta(seconds=1),
    )

    assert services.relay() == 1
    assert CALLS == ["late"]
    message.refresh_from_db()
    assert message.completed_at is not None


def test_relays_on_two_hosts_at_once_hand_each_message_over_once(monkeypatch):
    due = timezone.now() - timedelta(seconds=1)
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(target="tests.record", args=[n], available_at=due) for n in range(200)
    )
    handed_over = []

    def dispatch(message_id):
        time.sleep(0.001)  # a broker round trip, so the two relays overlap
        handed_over.append(message_id)
        return True

    monkeypatch.setattr(services, "dispatch", dispatch)
    relayed = at_once([services.relay] * 2)

    failed = [r for r in relayed if isinstance(r, Exception)]
    if connection.vendor == "sqlite":
        # The tests' in-memory SQLite locks whole tables between threads; the embedded
        # default's file database (WAL, IMMEDIATE transactions, a busy timeout) waits instead.
        # Either way, nothing may be handed over twice or lost.
        assert all(isinstance(error, OperationalError) for error in failed)
        relayed = [r for r in relayed if not isinstance(r, Exception)]
    else:
        assert failed == []
    assert sum(relayed) == len(messages)
    assert sorted(handed_over) == sorted(message.pk for message in messages)


def test_wagtail_background_work_goes_through_the_outbox(wagtail_tree):
    from wagtail.models import Page

    from tests.factories.pages import HomePageFactory

    task = "wagtail.tasks.update_reference_index_task"
    root = Page.get_first_root_node()
    with transaction.atomic():
        home = HomePageFactory(parent=root, slug="outbox-home")
        assert OutboxMessage.objects.filter(target="outbox.run_django_task", args__0=task)

    message = OutboxMessage.objects.get(
        target="outbox.run_django_task", args=[task, "content", "homepage", str(home.pk)]
    )
    assert message.completed_at is not None
    assert message.last_error == ""


def test_a_name_no_job_is_registered_as_is_refused_and_nothing_is_recorded():
    with pytest.raises(UnknownJob), transaction.atomic():
        services.enqueue("tests.outbox.test_services.record", "by path")

    assert not OutboxMessage.objects.exists()


def test_a_stored_message_naming_no_job_fails_and_is_retried_like_any_failure():
    message = OutboxMessage.objects.create(
        target="tests.moved_away", args=[1], available_at=timezone.now()
    )

    with pytest.raises(UnknownJob):
        services.run(message.pk)

    message.refresh_from_db()
    assert message.completed_at is None and message.failed_at is None
    assert message.attempts == 1
    assert message.last_error == "UnknownJob: no outbox job is registered as 'tests.moved_away'"
    assert message.available_at > timezone.now()


def test_a_message_an_old_process_wrote_with_an_import_path_still_runs(wagtail_tree):
    from wagtail.models import Page

    home = Page.get_first_root_node()
    suggestions = OutboxMessage.objects.create(
        target="search.tasks.refresh_suggestions", available_at=timezone.now()
    )
    reference_index = OutboxMessage.objects.create(
        target="wagtail.tasks.update_reference_index_task",
        args=["wagtailcore", "page", str(home.pk)],
        available_at=timezone.now(),
    )

    assert services.run(suggestions.pk) is True
    assert services.run(reference_index.pk) is True


def test_the_django_task_job_runs_only_django_tasks():
    message = OutboxMessage.objects.create(
        target="outbox.run_django_task", args=["os.getcwd"], available_at=timezone.now()
    )

    with pytest.raises(TypeError):
        services.run(message.pk)


@pytest.fixture
def broker_down():
    """Celery publishes to an address where nothing listens (a real refused connection)."""
    from kepu.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_write_url)
    app.conf.task_always_eager = False
    app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    _forget_producers(app)
    services.BROKER.down_until = 0.0
    yield
    app.conf.task_always_eager, app.conf.broker_write_url = saved
    _forget_producers(app)
    services.BROKER.down_until = 0.0


def _forget_producers(app):
    """Drops pooled broker connections, so the next publish connects to the configured URL."""
    app.close()
    app.amqp._producer_pool = None


def test_a_broker_outage_costs_a_request_nothing_and_the_relay_delivers_afterwards(broker_down):
    started = time.perf_counter()
    with transaction.atomic():
        message = services.enqueue("tests.record", "after the outage")
    for _ in range(20):
        assert services.dispatch(message.pk) is False
    elapsed = time.perf_counter() - started

    message.refresh_from_db()
    assert services.BROKER.open()  # after the first refusal, no further connection attempts
    assert elapsed < 5  # nothing waited on the broker (a hang would take 2 s per dispatch)
    assert message.available_at <= timezone.now()  # due at once, not after the lease
    assert message.completed_at is None and CALLS == []

    from kepu.celery import app

    app.conf.task_always_eager = True  # the broker is back (eager: delivered in-process)
    services.BROKER.down_until = 0.0
    assert services.relay() == 1
    message.refresh_from_db()
    assert CALLS == ["after the outage"] and message.completed_at is not None
