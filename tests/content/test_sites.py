"""content/sites.py: the request's site and organiser settings come from a per-process memo."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from content.models import OrganiserSettings
from tests.factories.pages import HomePageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def organiser(site, name):
    settings = OrganiserSettings.for_site(site)
    settings.name = name
    settings.save()
    return settings


def footer(response) -> str:
    html = response.content.decode()
    return html[html.index("<footer") :]


def test_a_changed_organiser_name_shows_on_the_next_request(client, home):
    settings = organiser(Site.objects.get(), "甲市科学技术协会")
    assert "甲市科学技术协会" in footer(client.get("/search/"))

    settings.name = "乙市科学技术协会"
    settings.save()

    assert "乙市科学技术协会" in footer(client.get("/search/"))


def test_later_requests_read_neither_the_site_nor_the_settings(client, home):
    organiser(Site.objects.get(), "甲市科学技术协会")
    client.get("/search/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/")

    assert "甲市科学技术协会" in footer(response)
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "wagtailcore_site" not in tables and "content_organisersettings" not in tables


def test_each_host_gets_its_own_site(client, home, settings):
    settings.ALLOWED_HOSTS = ["testserver", "kepu.example.cn"]
    other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="other-home")
    other = Site.objects.create(hostname="kepu.example.cn", port=80, root_page=other_home)
    organiser(Site.objects.get(hostname="testserver"), "甲市科学技术协会")
    organiser(other, "乙县科学技术协会")

    assert "甲市科学技术协会" in footer(client.get("/search/"))
    assert "乙县科学技术协会" in footer(client.get("/search/", HTTP_HOST="kepu.example.cn"))
    assert "甲市科学技术协会" in footer(client.get("/search/"))


def test_a_deleted_site_is_forgotten(client, home, settings):
    settings.ALLOWED_HOSTS = ["testserver", "kepu.example.cn"]
    other_home = HomePageFactory(parent=Page.get_first_root_node(), slug="other-home")
    other = Site.objects.create(hostname="kepu.example.cn", port=80, root_page=other_home)
    organiser(other, "乙县科学技术协会")
    organiser(Site.objects.get(hostname="testserver"), "甲市科学技术协会")
    assert "乙县科学技术协会" in footer(client.get("/search/", HTTP_HOST="kepu.example.cn"))

    other.delete()

    # Wagtail's rules again: an unknown host falls back to the default site.
    assert "甲市科学技术协会" in footer(client.get("/search/", HTTP_HOST="kepu.example.cn"))


def test_a_host_outside_allowed_hosts_is_refused_not_an_error(home, settings):
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]

    response = Client(raise_request_exception=False).get("/search/", HTTP_HOST="evil.example.com")

    assert response.status_code == 400


def test_the_user_bar_shows_on_pages_for_editors_only(client, section):
    from django.contrib.auth.models import Group

    from tests.factories.pages import ArticlePageFactory
    from tests.factories.users import UserFactory

    article = ArticlePageFactory(parent=section)
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="编辑"))
    client.force_login(editor)

    assert "wagtail-userbar" in client.get(article.url).content.decode()
    assert "wagtail-userbar" not in client.get("/search/").content.decode()  # nothing to edit

    client.force_login(UserFactory())  # a participant
    assert "wagtail-userbar" not in client.get(article.url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get("/search/")
    assert not any("auth_permission" in query["sql"] for query in queries.captured_queries)


def test_a_database_failure_while_looking_up_the_site_is_left_to_the_view(
    client, home, monkeypatch
):
    from django.db import OperationalError

    from content import sites

    def unreachable(hostname, port):
        raise OperationalError("connection refused")

    monkeypatch.setattr(sites, "_lookup", unreachable)

    response = client.get("/healthz")

    # Health checks still answer with their own report rather than a 500 from the middleware.
    assert response.status_code == 200 and response.json()["database"] == "ok"
