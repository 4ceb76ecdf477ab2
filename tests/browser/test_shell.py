import re

import pytest
from playwright.sync_api import expect

from tests.factories.users import StaffFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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


def test_the_first_screen_of_a_phone_shows_what_is_open_and_how_to_sign_in(page, demo_site):
    page.goto("/")

    heading = page.get_by_role("heading", name="正在进行")
    first_item = page.locator(".open-item").first
    sign_in = page.get_by_role("link", name="登录", exact=True)
    for element in (heading, first_item, sign_in):
        expect(element).to_be_visible()
        box = element.bounding_box()
        assert box["y"] + box["height"] <= 844 and box["x"] + box["width"] <= 390

    title = first_item.locator(".open-item__title").inner_text()
    first_item.click()
    expect(page.locator("main")).to_contain_text(title)


def public_paths(page) -> list[str]:
    """The home page and every same-site page it links to (sections, articles, videos,
    quizzes, contests, votes, topics), plus the pages of the public forms."""
    page.goto("/")
    linked = page.eval_on_selector_all(
        "main a[href^='/'], nav a[href^='/']", "links => links.map(a => a.getAttribute('href'))"
    )
    extra = [
        "/search/?q=科协",
        "/accounts/login/",
        "/accounts/signup/",
        "/topics/",
    ]
    return list(dict.fromkeys(["/", *linked, *extra]))


def test_no_public_page_scrolls_sideways_at_200_percent_text(page, demo_site):
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    wide = {}
    for path in public_paths(page):
        page.goto(path)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width

    assert wide == {}
    assert missing == []
