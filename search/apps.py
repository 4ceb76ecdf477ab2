from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _warm_up(**kwargs):
    """A Celery worker process loads the search dictionaries before its first task."""
    from django.db import connections

    from .pipeline import warm_up

    warm_up()
    connections.close_all()


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        # What is indexed and when (search/signals.py).
        from celery.signals import worker_process_init

        from . import signals, tasks  # noqa: F401  (tasks: its outbox jobs)

        signals.connect()
        # Gunicorn workers do the same in kepu/gunicorn.conf.py (post_worker_init).
        worker_process_init.connect(_warm_up, weak=False, dispatch_uid="search-warm-up")
