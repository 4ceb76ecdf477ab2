"""A django-tasks backend that routes Wagtail's background work through the outbox."""

from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

from . import services


class OutboxTaskBackend(BaseTaskBackend):
    """Records each enqueued task in the outbox; Celery runs it after the commit.

    In the embedded mode Celery is eager, so the task runs in-process right after the
    commit; in production a worker runs it. Results are not stored.
    """

    supports_async_task = False
    supports_get_result = False
    supports_priority = True

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        target = f"{task.func.__module__}.{task.func.__qualname__}"
        services.enqueue(target, *args, **kwargs)
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
