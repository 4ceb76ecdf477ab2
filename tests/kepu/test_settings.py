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
