"""The flush runs in a Celery worker, another process than the web one that counted."""

import time

import pytest

from content.reach.models import PageViewCount
from content.reach.tasks import flush_view_counts
from content.reach.view_counts import count_view
from tests.factories.reach import ReadingPageFactory, site_home

pytestmark = pytest.mark.worker


def test_a_worker_flushes_views_counted_by_the_web_process(wagtail_tree, celery_worker):
    page = ReadingPageFactory(parent=site_home())
    for _ in range(3):
        count_view(page.pk)

    flush_view_counts.delay()

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not PageViewCount.objects.filter(page=page).exists():
        time.sleep(0.1)
    assert PageViewCount.objects.get(page=page).count == 3
