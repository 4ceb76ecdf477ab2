import os
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.template import Context, Template
from django.utils import timezone
from wagtail.models import PageViewRestriction

from content.reach import view_counts
from content.reach.models import PageViewCount
from content.reach.tasks import flush_view_counts as flush_task
from content.reach.view_counts import count_view, flush_view_counts, most_read
from tests.factories.reach import ReadingPageFactory, site_home

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def home():
    return site_home()


@pytest.fixture
def page(home):
    return ReadingPageFactory(parent=home)


def views_in_database(page) -> int:
    return sum(PageViewCount.objects.filter(page=page).values_list("count", flat=True))


def beacon(client, page, **extra):
    return client.post(f"/v/{page.pk}", **extra)


def test_beacons_are_counted_and_flushed_to_the_database(client, page):
    statuses = {beacon(client, page).status_code for _ in range(5)}
    flush_view_counts()

    assert statuses == {204}
    row = PageViewCount.objects.get(page=page)
    assert (row.count, row.date) == (5, timezone.localdate())


def test_a_beacon_writes_nothing_to_the_page_row(client, page, django_assert_max_num_queries):
    beacon(client, page)  # the first may flush in-process and caches the page check
    page.refresh_from_db()
    latest_revision = page.latest_revision_created_at

    with django_assert_max_num_queries(0):
        beacon(client, page)

    page.refresh_from_db()
    assert page.latest_revision_created_at == latest_revision


def test_flushing_twice_does_not_count_twice(page):
    for _ in range(3):
        count_view(page.pk)

    first = flush_view_counts()
    second = flush_view_counts()

    assert (first.views, second.views) == (3, 0)
    assert views_in_database(page) == 3


def test_views_counted_during_a_flush_are_kept_for_the_next(page, monkeypatch):
    for _ in range(3):
        count_view(page.pk)
    write = view_counts._add_to_database

    def write_while_readers_keep_coming(page_id, day, views):
        count_view(page_id)
        count_view(page_id)
        write(page_id, day, views)

    monkeypatch.setattr(view_counts, "_add_to_database", write_while_readers_keep_coming)
    flush_view_counts()
    monkeypatch.setattr(view_counts, "_add_to_database", write)
    flush_view_counts()

    assert views_in_database(page) == 5


def test_a_failed_database_write_keeps_the_views_for_the_next_flush(page, monkeypatch):
    for _ in range(4):
        count_view(page.pk)
    write = view_counts._add_to_database

    def fail(*args):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(view_counts, "_add_to_database", fail)
    assert flush_view_counts().views == 0
    monkeypatch.setattr(view_counts, "_add_to_database", write)
    assert flush_view_counts().views == 4
    assert views_in_database(page) == 4


def test_counts_add_up_across_flushes_on_the_same_day(page):
    count_view(page.pk)
    flush_view_counts()
    count_view(page.pk)
    count_view(page.pk)
    flush_view_counts()

    assert PageViewCount.objects.get(page=page).count == 3


def test_unpublished_private_and_unknown_pages_are_not_counted(client, home):
    draft = ReadingPageFactory(parent=home, live=False)
    private = ReadingPageFactory(parent=home)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    assert beacon(client, draft).status_code == 404
    assert beacon(client, private).status_code == 404
    assert client.post("/v/999999").status_code == 404
    flush_view_counts()

    assert not PageViewCount.objects.exists()


def test_views_of_a_page_deleted_before_the_flush_are_dropped(page):
    count_view(page.pk)
    page.delete()

    flush_view_counts()

    assert not PageViewCount.objects.exists()


def test_the_beacon_only_accepts_post(client, page):
    assert client.get(f"/v/{page.pk}").status_code == 405


def test_the_beacon_needs_no_csrf_token(page):
    from django.test import Client

    assert beacon(Client(enforce_csrf_checks=True), page).status_code == 204


def test_beacons_beyond_the_per_address_limit_are_not_counted(client, page, settings):
    settings.KEPU_VIEW_BEACONS_PER_IP_PER_MINUTE = 3

    statuses = [beacon(client, page).status_code for _ in range(6)]
    flush_view_counts()

    assert statuses == [204] * 6
    assert views_in_database(page) == 3


def test_the_celery_task_flushes(page):
    count_view(page.pk)
    count_view(page.pk)

    assert flush_task.delay() is not None
    assert views_in_database(page) == 2


def test_the_flush_is_scheduled_every_minute():
    entry = django_settings.CELERY_BEAT_SCHEDULE["flush-view-counts"]

    assert entry == {"task": "content.flush_view_counts", "schedule": 60.0}


def _views(page, count, days_ago=0):
    PageViewCount.objects.create(
        page=page, date=timezone.localdate() - timedelta(days=days_ago), count=count
    )


def test_most_read_lists_live_public_pages_by_views(home):
    quiet = ReadingPageFactory(parent=home, title="少人读")
    popular = ReadingPageFactory(parent=home, title="多人读")
    middling = ReadingPageFactory(parent=home, title="有人读")
    hidden = ReadingPageFactory(parent=home, title="已下线")
    _views(quiet, 1)
    _views(popular, 50)
    _views(middling, 10)
    _views(hidden, 99)
    _views(home, 1000)
    hidden.unpublish()

    top = most_read(limit=3)

    assert [p.title for p in top] == ["多人读", "有人读", "少人读"]
    assert [p.view_count for p in top] == [50, 10, 1]
    assert [p.title for p in most_read(limit=1)] == ["多人读"]


def test_most_read_of_the_last_days_ignores_older_views(home):
    old_favourite = ReadingPageFactory(parent=home, title="去年的热门")
    new = ReadingPageFactory(parent=home, title="本周热门")
    _views(old_favourite, 100, days_ago=30)
    _views(old_favourite, 1, days_ago=1)
    _views(new, 5, days_ago=6)

    assert [p.title for p in most_read(limit=5, days=7)] == ["本周热门", "去年的热门"]
    assert [p.title for p in most_read(limit=5)] == ["去年的热门", "本周热门"]


def test_most_read_list_tag_renders_links(home):
    popular = ReadingPageFactory(parent=home, title="多人读", slug="popular")
    _views(popular, 7)

    html = Template("{% load reach_tags %}{% most_read_list limit=5 days=7 %}").render(Context())

    assert 'href="/popular/"' in html and "多人读" in html
    assert "7" in html


def test_the_beacon_include_loads_the_script_with_the_pages_beacon_url(page):
    html = Template('{% include "content/includes/view_beacon.html" %}').render(
        Context({"page": page})
    )

    assert f'data-view-beacon="/v/{page.pk}"' in html
    assert "js/view-beacon.js" in html and "defer" in html


def test_with_redis_the_dirty_set_is_shared_between_processes():
    assert view_counts.shared_dirty_set() is bool(os.environ.get("KEPU_TEST_REDIS_URL"))
