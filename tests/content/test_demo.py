import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from content.models import HomePage, OrganiserSettings

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_load_demo_replaces_the_welcome_page_with_a_home_page():
    call_command("load_demo")

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title__startswith="Welcome").exists()
    assert OrganiserSettings.for_site(site).name


def test_load_demo_twice_changes_nothing():
    call_command("load_demo")
    counts = (Page.objects.count(), Site.objects.count(), HomePage.objects.count())
    OrganiserSettings.objects.update(name="本地改过的名称")

    call_command("load_demo")

    assert (Page.objects.count(), Site.objects.count(), HomePage.objects.count()) == counts
    assert OrganiserSettings.objects.get().name == "本地改过的名称"


def test_home_page_renders_with_organiser_in_footer(client):
    call_command("load_demo")

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "示范市科学技术协会" in html
    assert '<html lang="zh-hans"' in html
