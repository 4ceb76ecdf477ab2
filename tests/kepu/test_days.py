import datetime

import pytest
from django.utils import timezone

from kepu.days import day_start, local_day

pytestmark = pytest.mark.sqlite


def test_a_moment_after_local_midnight_is_already_the_next_day():
    # 16:30 UTC on 1 March is 00:30 on 2 March in Shanghai.
    assert local_day(datetime.datetime(2026, 3, 1, 16, 30, tzinfo=datetime.UTC)) == datetime.date(
        2026, 3, 2
    )


def test_new_years_eve_evening_in_utc_is_new_years_day_locally():
    assert local_day(datetime.datetime(2025, 12, 31, 20, 0, tzinfo=datetime.UTC)) == datetime.date(
        2026, 1, 1
    )


def test_the_day_ignores_the_time_zone_a_request_activated():
    moment = datetime.datetime(2026, 3, 1, 16, 30, tzinfo=datetime.UTC)

    with timezone.override("America/New_York"):
        assert local_day(moment) == datetime.date(2026, 3, 2)


def test_a_day_starts_at_local_midnight():
    start = day_start(datetime.date(2026, 3, 2))

    assert start == datetime.datetime(2026, 3, 1, 16, 0, tzinfo=datetime.UTC)
    assert local_day(start) == datetime.date(2026, 3, 2)
    assert local_day(start - datetime.timedelta(microseconds=1)) == datetime.date(2026, 3, 1)


def test_the_day_follows_the_time_zone_setting(settings):
    settings.TIME_ZONE = "UTC"

    assert local_day(datetime.datetime(2026, 3, 1, 16, 30, tzinfo=datetime.UTC)) == datetime.date(
        2026, 3, 1
    )
