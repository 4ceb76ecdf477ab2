from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Background work")

    def ready(self):
        # The delivery task (Celery, by name), the job that runs Wagtail's django-tasks, and
        # the check that pending messages name registered jobs.
        from . import backends, checks, tasks  # noqa: F401
