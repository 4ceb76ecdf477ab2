from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


def _warm_up(**kwargs):
    """A Celery worker process loads the search dictionaries before its first task."""
    from django.db import connections

    from .dictionary import warm_up

    warm_up()
    connections.close_all()


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from celery.signals import worker_process_init

        from . import (
            dictionary,
            documents,
            pages,
            signals,
            suggestions,
            tasks,  # noqa: F401  (its outbox jobs)
        )

        # What is searchable: pages first, then each app's `search.py`, in INSTALLED_APPS
        # order (search/documents.py); and when documents change (search/signals.py).
        documents.register_source(pages.PAGE_SOURCE)
        autodiscover_modules("search")
        signals.connect()
        dictionary.connect()
        suggestions.connect()
        # Gunicorn workers do the same in kepu/gunicorn.conf.py (post_worker_init).
        worker_process_init.connect(_warm_up, weak=False, dispatch_uid="search-warm-up")
