import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.sqlite

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-used-only-by-this-test-0123456789",
    "DJANGO_ALLOWED_HOSTS": "kepu.example.org",
    "DATABASE_URL": "postgres://kepu@127.0.0.1:5432/kepu",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "KEPU_BASE_URL": "https://kepu.example.org",
}


def load_production_settings(env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import kepu.settings.production as s; print(s.DEBUG, s.SECURE_HSTS_SECONDS)",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_load_with_their_variables():
    result = load_production_settings(PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "31536000"]


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_without_each_required_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}

    result = load_production_settings(env)

    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def production_database_options(env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and not k.startswith("DATABASE_")
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, kepu.settings.production as s; "
            "print(json.dumps(s.DATABASES['default']['OPTIONS']))",
        ],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


PREPARED = {"server_side_binding": True, "prepare_threshold": 5}


@pytest.mark.parametrize(
    ("env", "prepared"),
    [
        ({}, True),
        ({"DATABASE_PREPARED_STATEMENTS": "0"}, False),
        ({"DATABASE_PGBOUNCER": "1"}, False),
        ({"DATABASE_PGBOUNCER": "1", "DATABASE_PREPARED_STATEMENTS": "1"}, True),
    ],
)
def test_statements_are_prepared_on_the_server_unless_a_pgbouncer_cannot_track_them(env, prepared):
    options = production_database_options(env)

    assert (options.items() >= PREPARED.items()) is prepared
    assert ("server_side_binding" in options) is prepared
