"""kepu/gunicorn.conf.py: settings from the environment, resolvers built before requests."""

import gc
import runpy
from pathlib import Path

from django.apps import apps
from wagtail.contrib.routable_page.models import RoutablePageMixin

CONF = Path(__file__).resolve().parents[2] / "kepu" / "gunicorn.conf.py"


def test_workers_and_threads_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "5")
    monkeypatch.setenv("GUNICORN_THREADS", "7")
    conf = runpy.run_path(str(CONF))
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (5, 7, "gthread")


def test_a_worker_builds_every_routable_page_resolver_before_serving():
    routable = [m for m in apps.get_models() if issubclass(m, RoutablePageMixin)]
    for model in routable:
        if "_routablepage_urlresolver" in model.__dict__:
            delattr(model, "_routablepage_urlresolver")

    runpy.run_path(str(CONF))["post_worker_init"](worker=None)

    assert routable
    assert all("_routablepage_urlresolver" in model.__dict__ for model in routable)


def test_what_the_master_loaded_is_left_out_of_the_workers_garbage_collections():
    loaded = {"a module's table": [1, 2, 3]}
    assert any(o is loaded for o in gc.get_objects())
    try:
        runpy.run_path(str(CONF))["pre_fork"](server=None, worker=None)
        # Frozen: no collection in the forked worker goes over it again.
        assert not any(o is loaded for o in gc.get_objects())
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
