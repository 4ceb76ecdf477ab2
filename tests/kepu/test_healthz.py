import time

import pytest
from django.test import Client

from .conftest import wait_for_retry

pytestmark = pytest.mark.django_db


@pytest.mark.sqlite
def test_healthz_reports_each_component(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert body["broker"] in {"ok", "eager"}


def test_healthz_checks_the_real_broker_when_not_eager(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get("/healthz")

    assert response.json()["broker"] == "ok"


def test_a_stopped_redis_leaves_the_site_degraded_but_serving(client, redis_server):
    redis_server.kill()

    response = client.get("/healthz")

    assert response.status_code == 200  # keep this instance in the load balancer
    body = response.json()
    assert (body["status"], body["database"], body["cache"]) == ("degraded", "ok", "error")
    assert body["degraded"] == ["cache"]


def test_the_health_page_notices_when_redis_is_back(client, redis_server):
    redis_server.kill()
    assert client.get("/healthz").json()["status"] == "degraded"
    redis_server.start()
    wait_for_retry()

    assert client.get("/healthz").json()["status"] == "ok"


def test_a_stopped_broker_is_reported_quickly(client, settings):
    from kepu.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = app.conf.broker_write_url
    app.conf.broker_write_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        started = time.perf_counter()
        response = client.get("/healthz")
        seconds = time.perf_counter() - started
    finally:
        app.conf.broker_write_url = previous

    assert response.status_code == 200 and response.json()["broker"] == "error"
    assert response.json()["degraded"] == ["broker"]
    assert seconds < 1.5


def test_without_the_database_the_site_answers_503(database_down):
    client = Client(raise_request_exception=False)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "down" and response.json()["database"] == "error"


def test_the_staff_page_says_in_chinese_what_a_redis_outage_means(client, redis_server):
    redis_server.kill()

    response = client.get("/healthz", {"format": "html"})

    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "服务状态" in html and "缓存" in html
    assert "投票" in html and "短信" in html  # what people can no longer do
