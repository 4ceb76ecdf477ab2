"""RSS feeds, sitemap.xml and robots.txt parse and list what is published."""

import xml.etree.ElementTree as ET

import pytest

from tests.factories.pages import ArticlePageFactory, TopicFactory, VideoPageFactory

pytestmark = pytest.mark.django_db
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_site_feed_is_valid_rss_with_articles_and_videos(client, section):
    topic = TopicFactory(name="航天")
    ArticlePageFactory(
        parent=section, title="火箭入门", summary="火箭为什么能飞上天。", topics=[topic]
    )
    VideoPageFactory(parent=section, title="空间站一日")
    draft = ArticlePageFactory(parent=section, title="未发布的草稿")
    draft.unpublish()

    response = client.get("/feed/")

    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = {item.findtext("title"): item for item in channel.findall("item")}
    assert set(items) == {"火箭入门", "空间站一日"}
    assert (
        items["火箭入门"].findtext("link")
        == "https://kepu.example.org/health/article-"
        + items["火箭入门"].findtext("link").rsplit("article-", 1)[1]
    )
    assert items["火箭入门"].findtext("description") == "火箭为什么能飞上天。"
    assert items["火箭入门"].findtext("category") == "航天"


def test_section_feed_lists_only_that_section(client, home, section):
    from tests.factories.pages import SectionPageFactory

    other = SectionPageFactory(parent=home, slug="safety")
    ArticlePageFactory(parent=section, title="本栏目文章")
    ArticlePageFactory(parent=other, title="别的栏目文章")

    channel = ET.fromstring(client.get("/health/feed/").content).find("channel")

    assert [item.findtext("title") for item in channel.findall("item")] == ["本栏目文章"]
    assert channel.findtext("title") == "健康生活"


def test_sitemap_lists_live_pages_and_topic_pages(client, section):
    TopicFactory(slug="space")
    article = ArticlePageFactory(parent=section)
    draft = ArticlePageFactory(parent=section)
    draft.unpublish()

    root = ET.fromstring(client.get("/sitemap.xml").content)

    locations = {url.findtext(f"{SITEMAP_NS}loc") for url in root.findall(f"{SITEMAP_NS}url")}
    assert root.tag == f"{SITEMAP_NS}urlset"
    assert f"https://kepu.example.org{article.url}" in locations
    assert "https://kepu.example.org/topics/space/" in locations
    assert not any(draft.slug in location for location in locations)


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")

    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text
    assert "Sitemap: https://kepu.example.org/sitemap.xml" in text
