"""Every absolute link comes from the configured public address (DESIGN.md rule 9)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from wagtail.models import Site

from content.sites import follow_public_address
from kepu.public_url import is_local_address, public_page_url, public_url, rebase
from tests.factories.reach import site_home

pytestmark = pytest.mark.sqlite


def test_a_path_is_put_on_the_public_address(settings):
    settings.KEPU_BASE_URL = "https://kepu.example.org/"

    assert public_url("/s/AB12") == "https://kepu.example.org/s/AB12"
    assert public_url("s/AB12") == "https://kepu.example.org/s/AB12"
    assert public_url("https://elsewhere.example.com/x") == "https://elsewhere.example.com/x"


def test_a_url_built_from_the_site_record_is_moved_onto_the_public_address(settings):
    settings.KEPU_BASE_URL = "https://kepu.example.org"

    assert rebase("http://localhost/health/a/?from=poster#top") == (
        "https://kepu.example.org/health/a/?from=poster#top"
    )


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost", True),
        ("http://kepu.localhost:8000", True),
        ("http://[::1]:8000", True),
        ("http://0.0.0.0:8000", True),
        ("http://192.168.1.20:8000", False),
        ("https://kepu.example.org", False),
    ],
)
def test_addresses_only_this_machine_can_open_are_local(url, local):
    assert is_local_address(url) is local


def test_a_page_url_ignores_the_site_records_host(db, settings):
    settings.KEPU_BASE_URL = "https://kepu.example.org"
    home = site_home()

    assert Site.objects.get(is_default_site=True).hostname == "localhost"
    assert public_page_url(home) == "https://kepu.example.org/"


def test_the_default_site_follows_the_public_address(db, settings):
    site_home()
    settings.KEPU_BASE_URL = "http://192.168.1.20:8000"

    assert follow_public_address() is True
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("192.168.1.20", 8000)
    assert follow_public_address() is False


def test_the_deploy_check_refuses_a_local_public_address(settings):
    settings.KEPU_BASE_URL = "http://127.0.0.1:8000"

    with pytest.raises(SystemCheckError, match=r"kepu\.E001"):
        call_command("check", "--deploy", "--tag", "security")


def test_the_deploy_check_accepts_an_https_public_address(settings):
    settings.KEPU_BASE_URL = "https://kepu.example.org"

    call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")


def test_staff_are_warned_on_the_dashboard_while_the_address_is_local(admin_client, settings):
    settings.KEPU_BASE_URL = "http://127.0.0.1:8000"

    html = admin_client.get("/admin/").content.decode()

    assert "data-public-address-warning" in html
    assert "KEPU_BASE_URL" in html


def test_no_warning_once_the_public_address_is_set(admin_client, settings):
    settings.KEPU_BASE_URL = "https://kepu.example.org"

    html = admin_client.get("/admin/").content.decode()

    assert "data-public-address-warning" not in html
