import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reader_opens_an_article_from_the_home_page_on_a_phone(page, demo_site):
    page.goto("/")
    first = page.locator("#latest-heading ~ .card .card__title a").first
    title = first.inner_text()

    first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".article__body")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Every image that has loaded decoded correctly (nothing broken).
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    broken = page.evaluate(
        "[...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)"
    )
    assert broken == []


def test_video_page_shows_chapters_and_a_transcript(page, demo_site):
    page.goto("/videos/")
    page.locator(".card__title a").first.click()

    expect(page.get_by_role("heading", name="章节")).to_be_visible()
    page.get_by_text("文字稿").click()
    expect(page.locator(".transcript p").first).to_be_visible()


def test_opening_an_article_counts_one_view(page, demo_site):
    from content.models import ArticlePage
    from content.reach.view_counts import flush_view_counts, most_read

    article = ArticlePage.objects.live().order_by("pk").first()
    with page.expect_request(lambda request: f"/v/{article.pk}" in request.url):
        page.goto(article.url)
    page.wait_for_load_state("networkidle")

    flush_view_counts()

    assert [(p.pk, p.view_count) for p in most_read(limit=1)] == [(article.pk, 1)]
