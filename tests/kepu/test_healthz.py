import pytest

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


def test_healthz_is_503_when_the_cache_is_unreachable(client, settings):
    # A Redis address where nothing listens: a real connection failure, not a mock.
    settings.CACHES = {
        "default": {
            "BACKEND": "kepu.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"], body["cache"]) == ("error", "ok", "error")
