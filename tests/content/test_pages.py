import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from wagtail.models import Page

from content.models import (
    ArticlePage,
    ArticleRelatedLink,
    CampaignItem,
    CampaignPage,
    HomePage,
    SectionPage,
    VideoPage,
)
from tests.factories.pages import (
    ArticlePageFactory,
    CampaignPageFactory,
    TopicFactory,
    VideoPageFactory,
    paragraph,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("child", "parent", "allowed"),
    [
        (SectionPage, HomePage, True),
        (CampaignPage, HomePage, True),
        (ArticlePage, SectionPage, True),
        (VideoPage, SectionPage, True),
        (ArticlePage, HomePage, False),
        (VideoPage, CampaignPage, False),
        (SectionPage, SectionPage, False),
        (ArticlePage, ArticlePage, False),
        (HomePage, HomePage, False),
        (CampaignPage, SectionPage, False),
    ],
)
def test_page_types_live_only_where_they_belong(child, parent, allowed):
    assert (child in parent.allowed_subpage_models()) is allowed
    assert (parent in child.allowed_parent_page_models()) is allowed


def test_only_one_home_page_per_parent(home):
    assert not HomePage.can_create_at(Page.get_first_root_node())


def test_article_shows_its_credits_and_reading_time(client, section):
    topic = TopicFactory(name="健康", slug="health")
    article = ArticlePageFactory(
        parent=section,
        title="喝水的学问",
        author="王医生",
        source="示范市科协",
        source_url="https://example.org/original",
        editor="陈编辑",
        body=[paragraph("多" * 900)],
        topics=[topic],
    )
    article.refresh_from_db()

    html = client.get(article.url).content.decode()

    assert article.reading_minutes == 3  # 900 characters at 400 a minute
    for text in (
        "喝水的学问",
        "王医生",
        "示范市科协",
        "陈编辑",
        "约 3 分钟读完",
        'href="/topics/health/"',
    ):
        assert text in html
    assert 'href="https://example.org/original"' in html


def test_section_lists_children_newest_first_and_paginates(client, section):
    for day in range(1, 15):
        ArticlePageFactory(parent=section, title=f"第{day}篇", date=datetime.date(2026, 5, day))

    first = client.get(section.url).content.decode()
    second = client.get(section.url + "?page=2").content.decode()

    assert first.index("第14篇") < first.index("第13篇")
    assert "第1篇<" not in first and "第1篇<" in second
    assert "1 / 2" in first and "2 / 2" in second


@pytest.mark.parametrize("page_param", ["abc", "999", "-1", "1%00"])
def test_section_survives_bad_page_numbers(client, section, page_param):
    ArticlePageFactory(parent=section)

    assert client.get(section.url, {"page": page_param}).status_code == 200


def test_section_filters_by_topic(client, section):
    space = TopicFactory(name="航天", slug="space")
    ArticlePageFactory(parent=section, title="火箭入门", topics=[space])
    ArticlePageFactory(parent=section, title="喝水的学问")

    html = client.get(section.url, {"topic": "space"}).content.decode()

    assert "火箭入门" in html and "喝水的学问" not in html
    assert client.get(section.url, {"topic": "no-such-topic"}).status_code == 404


def test_topic_page_lists_articles_and_videos_of_that_topic(client, home, section):
    space = TopicFactory(name="航天", slug="space")
    ArticlePageFactory(parent=section, title="火箭入门", topics=[space])
    VideoPageFactory(parent=section, title="空间站一日", topics=[space])
    ArticlePageFactory(parent=section, title="喝水的学问")

    html = client.get("/topics/space/").content.decode()
    index = client.get("/topics/").content.decode()

    assert "火箭入门" in html and "空间站一日" in html and "喝水的学问" not in html
    assert 'href="/topics/space/"' in index
    assert client.get("/topics/unknown/").status_code == 404


def test_home_page_shows_featured_latest_and_sections(client, home, section):
    featured = ArticlePageFactory(parent=section, title="编辑推荐的文章")
    ArticlePageFactory(parent=section, title="最新文章")
    VideoPageFactory(parent=section, title="最新视频")
    home.featured_items.create(page=featured)

    html = client.get("/").content.decode()

    assert html.count("编辑推荐的文章") == 1  # featured, not repeated among the latest
    assert "最新文章" in html and "最新视频" in html and "健康生活" in html


def test_unpublished_pages_stay_out_of_lists(client, section):
    draft = ArticlePageFactory(parent=section, title="草稿文章")
    draft.unpublish()

    assert "草稿文章" not in client.get(section.url).content.decode()
    assert "草稿文章" not in client.get("/").content.decode()
    assert client.get(draft.url_path.replace("/home-test", "", 1)).status_code == 404


def test_related_items_put_the_editors_choice_first_then_shared_topics(section):
    topic = TopicFactory()
    article = ArticlePageFactory(parent=section, topics=[topic])
    chosen = ArticlePageFactory(parent=section)
    sharing = VideoPageFactory(parent=section, topics=[topic])
    ArticlePageFactory(parent=section)  # unrelated
    ArticleRelatedLink.objects.create(source_page=article, page=chosen)

    related = article.related_items()

    assert [page.pk for page in related] == [chosen.pk, sharing.pk]


def test_campaign_shows_dates_and_curated_items(client, home, section):
    article = ArticlePageFactory(parent=section, title="科普日推荐文章")
    campaign = CampaignPageFactory(parent=home)
    CampaignItem.objects.create(campaign=campaign, page=article)

    html = client.get(campaign.url).content.decode()

    assert "2026年9月15日" in html and "科普日推荐文章" in html


def test_campaign_end_cannot_precede_start(home):
    campaign = CampaignPage(
        title="倒过来的专题",
        intro="x",
        start_date=datetime.date(2026, 9, 30),
        end_date=datetime.date(2026, 9, 1),
    )
    with pytest.raises(ValidationError):
        campaign.full_clean()
    saved = CampaignPageFactory(parent=home)
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignPage.objects.filter(pk=saved.pk).update(end_date=datetime.date(2026, 1, 1))
