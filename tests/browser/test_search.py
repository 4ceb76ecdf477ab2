"""Search on a phone: suggestions while typing, results, opening a result."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
# demo_site leaves the search index built, as load_demo does (a reconcile runs after its commit).


def test_typing_shows_suggestions_and_one_opens_the_page(page, demo_site):
    page.goto("/")
    box = page.locator("#site-search-q")

    box.click()
    box.press_sequentially("疫苗", delay=50)

    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    option = listbox.get_by_role("option").filter(has_text="疫苗如何帮身体提前").first
    expect(option).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    option.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("疫苗如何帮身体提前")


def test_pinyin_suggestions_the_keyboard_and_highlighted_results(page, demo_site):
    page.goto("/search/")
    box = page.locator("#search-page-q")

    box.press_sequentially("yimiao", delay=50)
    listbox = page.get_by_role("listbox").first
    expect(listbox.get_by_role("option").first).to_have_text("疫苗")  # a word to search for
    expect(listbox.get_by_role("option").filter(has_text="疫苗如何帮身体提前")).to_be_visible()
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "search-suggest-2-0")
    box.press("Enter")

    expect(page.locator(".search-summary")).to_contain_text("疫苗")

    box.fill("洗手")
    box.press("Enter")

    expect(page.locator(".search-summary")).to_contain_text("洗手")
    first = page.locator(".search-result__title a").first
    expect(page.locator(".search-result mark").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    title = first.inner_text()

    first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_on_a_phone_results_show_on_the_first_screen_and_the_filters_unfold(page, demo_site):
    page.goto("/search/?q=科普&sort=date")

    filters = page.locator("details.search-filters")
    video_chip = filters.get_by_role("link", name=re.compile(r"^视频 \d+$"))
    expect(filters.locator("summary")).to_contain_text("最新优先")
    expect(video_chip).to_be_hidden()
    titles = page.locator(".search-result__title")
    expect(titles.first).to_be_in_viewport()
    assert titles.first.bounding_box()["y"] + 40 < page.viewport_size["height"]
    assert page.locator("#site-search-q").is_hidden()  # one search box on the search page

    filters.locator("summary").click()
    video_chip.click()

    expect(page.locator(".search-result .badge").first).to_have_text("视频")
    expect(filters.locator("summary")).to_contain_text("视频")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
