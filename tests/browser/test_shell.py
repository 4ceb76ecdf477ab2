import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories.users import StaffFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo_site(wagtail_tree):
    call_command("load_demo")


def test_home_page_renders_on_a_phone(page, demo_site):
    page.goto("/")

    expect(page).to_have_title(re.compile("科普在线"))
    expect(page.get_by_role("search")).to_be_visible()
    expect(page.locator("footer")).to_contain_text("示范市科学技术协会")
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_large_text_mode_switches_and_persists(page, demo_site):
    page.goto("/")
    size_before = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")

    page.get_by_role("button", name="大字模式").click()
    expect(page.locator("html")).to_have_class(re.compile("large-text"))
    page.reload()

    expect(page.locator("html")).to_have_class(re.compile("large-text"))
    size_after = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size_after > size_before * 1.2


def test_admin_login_works(page, demo_site):
    StaffFactory(username="editor", password="correct horse battery")

    page.goto("/admin/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "correct horse battery")
    page.get_by_role("button", name=re.compile("登录")).click()

    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("body")).to_contain_text("科普在线")
