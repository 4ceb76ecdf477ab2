"""Editors work through the real Wagtail admin: create, submit for review, preview on a phone."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from content.models import ArticlePage
from tests.factories.pages import TopicFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="编辑"))
    client.force_login(user)
    return user


def article_form(**overrides):
    topic = TopicFactory(slug="health", name="健康")
    data = {
        "title": "冬季如何预防流感",
        "slug": "flu-in-winter",
        "summary": "勤洗手、常通风、按时接种疫苗。",
        "body": streamfield(
            [
                ("heading", {"text": "为什么冬天容易得流感"}),
                ("paragraph", rich_text("<p>病毒在低温干燥的环境里存活更久。</p>")),
                ("knowledge_card", {"title": "你知道吗", "text": "流感疫苗每年都要接种。"}),
            ]
        ),
        "author": "王医生",
        "editor": "陈编辑",
        "source": "示范市科协",
        "source_url": "",
        "date": datetime.date(2026, 11, 20).isoformat(),
        "topics": [topic.pk],
        "related_links": inline_formset([]),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_an_editor_creates_an_article_and_submits_it_for_review(client, editor, section):
    url = reverse("wagtailadmin_pages:add", args=["content", "articlepage", section.pk])

    response = client.post(url, {**article_form(), "action-submit": "提交审核"})

    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(slug="flu-in-winter")
    assert not article.live
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == "in_progress" and state.requested_by == editor
    assert article.get_latest_revision_as_object().body[0].value["text"] == "为什么冬天容易得流感"


def test_an_editor_cannot_publish_directly(client, editor, section):
    url = reverse("wagtailadmin_pages:add", args=["content", "articlepage", section.pk])

    client.post(url, {**article_form(), "action-publish": "发布"})

    assert not ArticlePage.objects.filter(slug="flu-in-winter", live=True).exists()


def test_an_unknown_video_address_in_the_body_is_refused_with_a_chinese_message(
    client, editor, section
):
    url = reverse("wagtailadmin_pages:add", args=["content", "articlepage", section.pk])
    form = article_form(
        body=streamfield([("video_embed", "https://www.youtube.com/watch?v=dQw4w9WgXcQ")])
    )

    response = client.post(url, form)

    assert response.status_code == 200
    error = response.context["form"].errors["body"].as_data()[0]
    assert "不支持这个视频地址" in str(error.block_errors[0])
    assert not ArticlePage.objects.filter(slug="flu-in-winter").exists()


def test_preview_renders_the_article_as_readers_will_see_it(client, editor, section):
    url = reverse("wagtailadmin_pages:preview_on_add", args=["content", "articlepage", section.pk])

    posted = client.post(url, article_form())
    shown = client.get(url)

    assert posted.json()["is_valid"] is True
    assert shown.status_code == 200
    html = shown.content.decode()
    assert "冬季如何预防流感" in html and "流感疫苗每年都要接种。" in html
    assert 'name="viewport"' in html
