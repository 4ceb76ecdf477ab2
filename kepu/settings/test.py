"""Settings for the test suite.

The test command (scripts/test) starts PostgreSQL and Redis on loopback and exports
KEPU_TEST_DATABASE_URL and KEPU_TEST_REDIS_URL; with neither set the suite falls back to the
embedded defaults (SQLite, local memory), which is how its SQLite part runs.
"""

import os

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
# Demo content (`manage.py load_demo`), which several tests load: development and tests only.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
# Media through Django with byte ranges, as in the embedded default (kepu/media.py).
KEPU_SERVE_MEDIA = True
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
# A public address unlike the test client's host, so tests see which one a link was built from.
KEPU_BASE_URL = "https://kepu.example.org"
WAGTAILADMIN_BASE_URL = KEPU_BASE_URL

_database_url = os.environ.get("KEPU_TEST_DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url)}
    # As production without PgBouncer binds and prepares statements on the server, so every
    # raw statement is proven to be one PostgreSQL can type.
    DATABASES["default"]["OPTIONS"] = dict(PREPARED_STATEMENTS)  # noqa: F405
    DATABASES["default"]["ENGINE"] = POSTGRESQL_ENGINE  # noqa: F405
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "TEST": {"NAME": ":memory:"},
        }
    }

_redis_url = os.environ.get("KEPU_TEST_REDIS_URL")
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "kepu.cache.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "kepu-test",
        }
    }
    CELERY_BROKER_URL = _redis_url
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
# Tasks run in-process, except in the worker process that the celery_worker fixture starts.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("KEPU_TEST_CELERY_EAGER", "1") == "1"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("KEPU_TEST_MEDIA_ROOT", "/tmp/kepu-test-media"))  # noqa: F405, S108
KEPU_PRIVATE_MEDIA_ROOT = Path(  # noqa: F405
    os.environ.get("KEPU_TEST_PRIVATE_MEDIA_ROOT", "/tmp/kepu-test-private")  # noqa: S108
)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
KEPU_SMS_BACKEND = "accounts.sms.MemorySMSBackend"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
STATIC_ROOT = Path(os.environ.get("KEPU_TEST_STATIC_ROOT", "/tmp/kepu-test-static"))  # noqa: F405, S108
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
