"""Outbox targets for the fault run (bench/faults.py); the worker imports them by path."""

import time


def slow_certificate(attempt_id: int, seconds: float) -> None:
    """Issues a quiz certificate after a pause long enough to kill the worker in the middle.

    Run twice (the first run killed, the second after redelivery), it must leave exactly one
    certificate: issue_certificate is idempotent.
    """
    from competitions.quizzes.certificates import issue_certificate

    time.sleep(seconds)
    issue_certificate(attempt_id)


def noop() -> None:
    """Does nothing: its completion shows that delivery works again."""
