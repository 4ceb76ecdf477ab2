"""Anonymous readers get pages from the cache; publishing makes the change visible at once."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page, Site

from tests.conftest import ROOT
from tests.factories.pages import ArticlePageFactory, HomePageFactory, SectionPageFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_second_anonymous_view_is_served_from_the_cache(client, section):
    article = ArticlePageFactory(parent=section)

    first = client.get(article.url)
    second = client.get(article.url)

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_publishing_a_change_invalidates_the_cached_page(client, section):
    article = ArticlePageFactory(parent=section, title="旧标题")
    client.get(article.url)
    client.get(section.url)

    article.title = "新标题"
    article.save_revision().publish()

    assert "新标题" in client.get(article.url).content.decode()
    assert "新标题" in client.get(section.url).content.decode()


def test_unpublishing_removes_the_page_from_cached_lists(client, section):
    article = ArticlePageFactory(parent=section, title="即将下线")
    assert "即将下线" in client.get(section.url).content.decode()

    article.unpublish()

    assert "即将下线" not in client.get(section.url).content.decode()
    assert client.get(article.url).status_code == 404


def test_signed_in_users_bypass_the_cache(client, section):
    article = ArticlePageFactory(parent=section)
    client.get(article.url)
    client.force_login(UserFactory())

    response = client.get(article.url)

    assert "X-Page-Cache" not in response
    assert "我的" in response.content.decode() and "登录" not in response.content.decode()


def test_unknown_query_parameters_bypass_the_cache(client, section):
    article = ArticlePageFactory(parent=section)

    client.get(article.url, {"utm_source": "x"})
    response = client.get(article.url, {"utm_source": "x"})

    assert "X-Page-Cache" not in response


def test_large_text_readers_get_their_own_cached_copy(client, section):
    article = ArticlePageFactory(parent=section)
    client.get(article.url)

    client.cookies["kepu_large_text"] = "1"
    response = client.get(article.url)

    assert response["X-Page-Cache"] == "miss"
    assert 'class="large-text"' in response.content.decode()


# --- pages that are the same for every reader ------------------------------------------------


def _quiz_page(home):
    from competitions.quizzes.models import QuizPage
    from tests.factories.quizzes import QuizFactory

    return home.add_child(
        instance=QuizPage(title="竞答", slug="shared", quiz=QuizFactory(), summary="摘要")
    )


def test_a_page_the_same_for_every_reader_is_cached_for_signed_in_readers_too(client, home):
    page = _quiz_page(home)
    client.force_login(UserFactory())

    first, second = client.get(page.url), client.get(page.url)

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content and "我的" in second.content.decode()


def test_a_signed_in_reader_of_other_pages_is_not_looked_up_in_the_cache(client, section):
    from django.core.cache import cache

    article = ArticlePageFactory(parent=section)
    client.get(article.url)  # an anonymous copy exists
    client.force_login(UserFactory())
    looked_up = []
    original = cache.get
    cache.get = lambda key, *args, **kwargs: looked_up.append(key) or original(key, *args, **kwargs)
    try:
        response = client.get(article.url)
    finally:
        del cache.get

    assert "X-Page-Cache" not in response
    assert not [key for key in looked_up if key.startswith("pagecache:")]


def test_a_page_restricted_to_some_readers_is_never_shared_between_signed_in_readers(client, home):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    page = _quiz_page(home)
    client.force_login(UserFactory())
    assert client.get(page.url)["X-Page-Cache"] == "miss"
    members = Group.objects.create(name="会员")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(members)
    member = UserFactory()
    member.groups.add(members)
    client.force_login(member)

    seen = [client.get(page.url) for _ in range(2)]
    client.force_login(UserFactory())
    outsider = client.get(page.url)

    assert [response.status_code for response in seen] == [200, 200]
    assert all("X-Page-Cache" not in response for response in seen)
    assert outsider.status_code != 200 or "竞答" not in outsider.content.decode()


def test_a_password_protected_page_is_never_cached_for_other_readers(client, section):
    from django.test import Client
    from django.urls import reverse
    from wagtail.models import PageViewRestriction

    article = ArticlePageFactory(parent=section, title="内部资料")
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="kepu-2026"
    )
    client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, article.pk]),
        {"password": "kepu-2026", "return_url": article.url},
    )
    assert "内部资料" in client.get(article.url).content.decode()

    stranger = Client().get(article.url)

    assert "X-Page-Cache" not in stranger and "kepu-2026" not in stranger.content.decode()
    assert 'name="password"' in stranger.content.decode()


# --- the CSRF cookie of a first visit, and the cookies that keep a page out of the cache --------


def test_a_reader_with_an_invalid_csrf_cookie_gets_a_new_one_and_the_same_cached_page(home):
    from django.conf import settings
    from django.test import Client

    page = _quiz_page(home)
    first = Client().get(page.url)
    phone = Client()
    phone.cookies[settings.CSRF_COOKIE_NAME] = "not-a-token"

    seen = phone.get(page.url)

    assert seen["X-Page-Cache"] == "hit" and seen.content == first.content
    assert len(seen.cookies[settings.CSRF_COOKIE_NAME].value) == 32


def test_pages_without_a_form_posted_with_the_cookie_set_no_csrf_cookie(client, section):
    article = ArticlePageFactory(parent=section)

    seen = [client.get(article.url) for _ in range(2)]

    assert [response["X-Page-Cache"] for response in seen] == ["miss", "hit"]
    assert not any(response.cookies for response in seen)


def _set_session_value(request, response):
    request.session["seen"] = True


def _add_message(request, response):
    from django.contrib import messages

    messages.info(request, "已保存")


def _set_a_cookie(request, response):
    response.set_cookie("kepu_seen", "1")


@pytest.mark.parametrize("personal", [_set_session_value, _add_message, _set_a_cookie])
def test_a_page_that_sets_any_cookie_of_its_own_is_never_stored(
    client, home, monkeypatch, personal
):
    from content import cache as page_cache

    page = _quiz_page(home)
    render = page_cache.wagtail_views.serve

    def render_and_set(request, path):
        response = render(request, path)
        personal(request, response)
        return response

    monkeypatch.setattr(page_cache.wagtail_views, "serve", render_and_set)
    seen = [client.get(page.url) for _ in range(2)]

    assert all("X-Page-Cache" not in response for response in seen)


# --- every process of one site sees the same version -------------------------------------------


def _serve_in_another_process(port: int) -> subprocess.Popen:
    """The embedded default's web server in its own process: the test database, and a
    local-memory cache of its own (no Redis), as `./scripts/run` serves."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail("two processes share the PostgreSQL test database: run through scripts/test")
    db = connection.settings_dict
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("KEPU_TEST_REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kepu.settings.test",
        KEPU_TEST_DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    )
    return subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ), env


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local test server)
        return response.read().decode(), response.headers.get("X-Page-Cache")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_page_published_by_the_scheduler_process_reaches_readers_of_the_web_process(
    wagtail_tree,
):
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="home-processes")
    Site.objects.all().delete()
    Site.objects.create(hostname="127.0.0.1", port=80, root_page=home, is_default_site=True)
    section = SectionPageFactory(parent=home, title="健康生活", slug="health")
    article = ArticlePageFactory(parent=section, title="旧标题", slug="scheduled")
    article.title = "定时发布的新标题"
    revision = article.save_revision(approved_go_live_at=timezone.now() - timedelta(seconds=1))
    assert revision.approved_go_live_at is not None

    port = _free_port()
    server, env = _serve_in_another_process(port)
    try:
        url = f"http://127.0.0.1:{port}/{article.url_path.removeprefix(home.url_path)}"
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(url)
                break
            except OSError:
                assert time.monotonic() < deadline, "the web process never answered"
                time.sleep(0.2)
        body, cache_state = _get(url)
        assert "旧标题" in body and cache_state == "hit"

        # Another process publishes, as scripts/run's loop does every minute.
        subprocess.run(
            [sys.executable, "manage.py", "publish_scheduled"], cwd=ROOT, env=env, check=True
        )

        deadline = time.monotonic() + 5
        while "定时发布的新标题" not in _get(url)[0]:
            assert time.monotonic() < deadline, "readers still get the page cached before"
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)
