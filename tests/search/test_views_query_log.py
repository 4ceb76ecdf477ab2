"""The anonymised query log: recording, the organisers' report and its permissions, pruning."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from search import query_log
from search.models import QueryLog
from tests.factories.users import StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

URL = "/admin/search/queries/"


def test_record_counts_searches_per_day_and_skips_personal_looking_queries():
    assert query_log.record("流感 疫苗", 3, "embedded")
    assert query_log.record("流感   疫苗 ", 2, "embedded")
    assert not query_log.record("13912345678", 0, "embedded")
    assert not query_log.record("someone@example.org", 0, "embedded")
    assert not query_log.record("   ", 0, "embedded")

    row = QueryLog.objects.get()
    assert (row.query, row.searches, row.results, row.day) == (
        "流感 疫苗",
        2,
        2,
        timezone.localdate(),
    )


def test_top_queries_and_queries_without_results_over_a_period():
    today = timezone.localdate()
    query_log.record("航天", 5, "embedded")
    query_log.record("航天", 5, "embedded")
    query_log.record("黑洞", 0, "embedded")
    query_log.record("恐龙", 2, "embedded", day=today - datetime.timedelta(days=20))

    week = query_log.top_queries(7)
    month = query_log.top_queries(30)

    assert [(q.query, q.searches) for q in week] == [("航天", 2), ("黑洞", 1)]
    assert {q.query for q in month} == {"航天", "黑洞", "恐龙"}
    assert [q.query for q in query_log.top_queries(7, no_results=True)] == ["黑洞"]


def test_searches_whose_first_result_is_rarely_opened_are_listed_most_searched_first():
    for _ in range(6):
        query_log.record("火星", 5, "embedded")
    query_log.record_click("火星", 2, "embedded")
    for _ in range(3):
        query_log.record("疫苗", 5, "embedded")
    query_log.record_click("疫苗", 1, "embedded")
    for _ in range(2):
        query_log.record("科普", 5, "embedded")
        query_log.record_click("科普", 1, "embedded")
    query_log.record("黑洞", 0, "embedded")

    rows = query_log.unopened_first_results(7)

    assert [(r.query, r.searches, r.first_result_clicks, r.other_result_clicks) for r in rows] == [
        ("火星", 6, 0, 1),
        ("疫苗", 3, 1, 0),
    ]


def test_prune_deletes_old_rows_only(settings):
    settings.SEARCH_QUERY_LOG_KEEP_DAYS = 30
    today = timezone.localdate()
    query_log.record("旧的", 1, "embedded", day=today - datetime.timedelta(days=31))
    query_log.record("新的", 1, "embedded", day=today - datetime.timedelta(days=29))

    assert query_log.prune() == 1
    assert list(QueryLog.objects.values_list("query", flat=True)) == ["新的"]


def test_the_report_shows_popular_and_empty_searches_to_superusers(client):
    query_log.record("全国科普日", 9, "embedded")
    query_log.record("量子纠缠", 0, "embedded")
    client.force_login(StaffFactory())

    response = client.get(URL, {"days": "30"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "全国科普日" in html and "量子纠缠" in html
    assert 'data-report="no-results"' in html
    assert 'data-report="unopened-first-results"' in html
    assert 'href="/search/?q=%E5%85%A8%E5%9B%BD%E7%A7%91%E6%99%AE%E6%97%A5"' in html
    assert 'href="/admin/snippets/search/synonymgroup/"' in html


def editor(*permissions):
    user = UserFactory()
    group = Group.objects.create(name=f"editors-{user.pk}")
    codenames = ["access_admin", *permissions]
    group.permissions.set(Permission.objects.filter(codename__in=codenames))
    user.groups.add(group)
    return user


def test_editors_without_the_permission_are_refused(client):
    client.force_login(editor())

    response = client.get(URL)

    assert response.status_code == 403
    assert "全国科普日" not in response.content.decode()


def test_organisers_granted_the_permission_see_the_report(client):
    client.force_login(editor("view_querylog"))

    assert client.get(URL, {"days": "abc"}).status_code == 200


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
