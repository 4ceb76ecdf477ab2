"""Which local day it is: the site's days begin at midnight in `settings.TIME_ZONE`
(Asia/Shanghai), whatever time zone a request or an admin user has activated.

Daily limits (quiz attempts, votes), ages, campaign dates, statistics and search ranges all
count days this way, so a moment falls on the same day everywhere.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def local_zone() -> ZoneInfo:
    """The site's time zone, `settings.TIME_ZONE`."""
    return ZoneInfo(settings.TIME_ZONE)


def local_day(now: datetime.datetime | None = None) -> datetime.date:
    """The local date of `now` (an aware datetime; default: this instant)."""
    return timezone.localtime(now or timezone.now(), local_zone()).date()


def day_start(day: datetime.date) -> datetime.datetime:
    """The first instant of local day `day` (local midnight, aware)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=local_zone())
