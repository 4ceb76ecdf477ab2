"""Hypothesis profiles of the generative tests and the count of examples per endpoint.

- `ci` (the default of scripts/test, so of CI): a fixed number of examples per endpoint,
  derandomised (the same examples on every run, no example database) and without shrinking,
  so CI is never flaky and the whole layer stays within about three minutes on two cores.
- `dev` (`HYPOTHESIS_PROFILE=dev`, or pytest run directly): the same size, random, with
  Hypothesis's example database in .hypothesis/ so a failure found once is tried first the
  next time.
- `long` (`HYPOTHESIS_PROFILE=long`): 30 times as many random examples, for a local hunt.
"""

import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, settings

COMMON = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
    "print_blob": True,
}
settings.register_profile(
    "ci",
    max_examples=12,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    **COMMON,
)
settings.register_profile("dev", max_examples=12, **COMMON)
settings.register_profile("long", max_examples=360, **COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
settings.load_profile(PROFILE)


@pytest.fixture(autouse=True)
def _postgresql(request):
    """The partial-write check reads PostgreSQL's row versions and statistics."""
    if "django_db" in request.keywords:
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.fail("the generative tests need PostgreSQL: run them through scripts/test")


# {endpoint id: {status: count}}, printed at the end of the run.
EXAMPLES: dict[str, Counter] = {}


def pytest_terminal_summary(terminalreporter):
    if not EXAMPLES:
        return
    terminalreporter.section(f"generative tests: examples per endpoint (profile {PROFILE})")
    total = 0
    for endpoint_id in sorted(EXAMPLES):
        statuses = EXAMPLES[endpoint_id]
        count = sum(statuses.values())
        total += count
        shown = " ".join(f"{status}×{n}" for status, n in sorted(statuses.items()))
        terminalreporter.write_line(f"{endpoint_id:48} {count:4}  {shown}")
    terminalreporter.write_line(f"{len(EXAMPLES)} endpoints, {total} examples")
