"""Gunicorn settings for kepu (`gunicorn -c kepu/gunicorn.conf.py kepu.wsgi`).

Threaded workers (gthread): a request mostly waits on PostgreSQL and Redis, so a few threads
per process keep the cores busy without the memory of more processes. Each thread keeps its
own persistent database connection (DATABASE_CONN_MAX_AGE), so PostgreSQL sees at most
workers × threads connections from the web tier. Tunable by environment variables
(docs/performance.md has the measured effect):

| variable | default | meaning |
| --- | --- | --- |
| GUNICORN_BIND | 127.0.0.1:8000 | address to listen on |
| GUNICORN_WORKERS | number of cores + 1 | worker processes |
| GUNICORN_THREADS | 4 | threads per worker |
| GUNICORN_TIMEOUT | 30 | seconds before a stuck worker is restarted |
| GUNICORN_ACCESS_LOG | off | "-" logs every request to stdout |
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or (os.cpu_count() or 1) + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
keepalive = 5
# Phones come through a reverse proxy that buffers slow clients; the listen queue absorbs
# the bursts of a quiz launch.
backlog = 2048
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
# Import the application once in the master, so workers fork with Django already set up.
preload_app = True


def pre_fork(server, worker):
    """Leaves everything the master loaded (Django, Wagtail, the URL patterns, the templates'
    modules: some 240,000 objects) out of the workers' garbage collections: they live as long
    as the worker, yet each full collection went over all of them, a pause of 150–300 ms in
    the middle of whichever request set it off (measured under the quiz benchmark; 16–37 ms
    frozen). Their memory pages also stay shared with the master instead of being copied when
    the collector touches them, as Python's gc documentation advises for processes that fork.
    """
    gc.freeze()


def post_worker_init(worker):
    """Builds Wagtail's routable-page URL resolvers and loads the search dictionaries before
    the worker takes requests.

    Wagtail builds each RoutablePageMixin class's resolver lazily and caches it on the class;
    two threads doing so at once fail with "dictionary changed size during iteration" (a 500
    the benchmark's first seconds showed). Building them here, in one thread, avoids it. The
    search segmenter, synonyms and stop words would otherwise load on the first search.
    """
    from django.apps import apps
    from django.db import connections
    from wagtail.contrib.routable_page.models import RoutablePageMixin

    from search.dictionary import warm_up

    for model in apps.get_models():
        if issubclass(model, RoutablePageMixin):
            model.get_resolver()
    warm_up()
    connections.close_all()  # this thread serves no requests: keep no connection open
