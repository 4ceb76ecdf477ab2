"""Outbox jobs of the benchmarks (bench/faults.py, bench/multihost.py). Not part of an app:
the benchmark's Celery workers import this module with `--include bench.jobs`."""

import time

from outbox.jobs import job


@job("bench.slow_certificate")
def slow_certificate(attempt_id: int, seconds: float) -> None:
    """Issues a quiz certificate after a pause long enough to kill the worker in the middle.

    Run twice (the first run killed, the second after redelivery), it must leave exactly one
    certificate: issue_certificate is idempotent.
    """
    from competitions.quizzes.certificates.services import issue_certificate

    time.sleep(seconds)
    issue_certificate(attempt_id)


@job("bench.noop")
def noop() -> None:
    """Does nothing: its completion shows that delivery works again."""


@job("bench.sleep")
def sleep(seconds: float) -> None:
    """Waits `seconds`: a job that costs the worker time and nothing else."""
    time.sleep(seconds)
