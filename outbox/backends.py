"""A django-tasks backend that routes Wagtail's background work through the outbox."""

from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

from . import services
from .jobs import DJANGO_TASK, job


@job(DJANGO_TASK)
def run_django_task(path: str, *args, **kwargs):
    """Run the django-tasks Task at `path` with these arguments (Wagtail's tasks are named by
    their import paths, which Wagtail keeps). Refuses anything at `path` that is not a Task."""
    task = import_string(path)
    if not isinstance(task, Task):
        raise TypeError(f"{path} is not a django-tasks Task")
    return task.call(*args, **kwargs)


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
        services.enqueue(DJANGO_TASK, task.module_path, *args, **kwargs)
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
