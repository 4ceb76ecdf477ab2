"""Celery tasks of the book drift: thin wrappers around its services."""

from celery import shared_task

from .reminders import remind_all_campaigns


@shared_task(name="bookdrift.remind_overdue_readers")
def remind_overdue_readers() -> int:
    """Daily (Celery beat): remind readers past the reading period, throttled per holding
    (competitions.bookdrift.reminders.remind_all_campaigns)."""
    return remind_all_campaigns()
