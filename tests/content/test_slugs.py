"""content/slugs.py: short pinyin slugs for Chinese titles, unique among siblings, editable."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from content.models import ArticlePage
from content.slugs import pinyin_slug, unique_child_slug
from tests.content.test_admin_editing import article_form
from tests.factories.pages import ArticlePageFactory
from tests.factories.users import UserFactory


@pytest.mark.sqlite
@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("社区科普讲座：如何预防流感", "shequ-kepu-jiangzuo-ruhe-yufang-liugan"),
        # Polyphones are read by the word.
        ("重庆长江大桥", "chongqing-changjiangdaqiao"),
        ("银行行长谈理财", "yinhanghangzhang-tan-licai"),
        ("5G 与北斗：中国航天 Space", "5g-yu-beidou-zhongguohangtian-space"),
        ("Ünïcode ça va", "unicode-ca-va"),
        ("——！", ""),
    ],
)
def test_titles_become_readable_ascii_slugs(title, slug):
    assert pinyin_slug(title) == slug


@pytest.mark.sqlite
def test_long_titles_are_cut_between_words():
    slug = pinyin_slug("勤洗手、常通风：守好呼吸道健康防线，全家老小都要知道的冬季防病常识", 40)

    assert len(slug) <= 40
    assert slug == "qinxishou-chang-tongfeng-shouhao-huxidao"


@pytest.mark.sqlite
@pytest.mark.django_db
def test_a_slug_taken_by_a_sibling_gets_a_number(section):
    ArticlePageFactory(parent=section, slug="liugan")
    ArticlePageFactory(parent=section, slug="liugan-2")
    own = ArticlePageFactory(parent=section, slug="yimiao")

    assert unique_child_slug("liugan", section) == "liugan-3"
    assert unique_child_slug("yimiao", section, page=own) == "yimiao"  # its own slug is free
    assert unique_child_slug("kepu", section) == "kepu"


@pytest.fixture
def editor(client):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="编辑"))
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_the_admin_suggests_the_slug_for_a_new_page_among_its_siblings(client, editor, section):
    ArticlePageFactory(parent=section, slug="dongji-ruhe-yufang-liugan")

    response = client.get(
        reverse("content_slug_suggestion"), {"title": "冬季如何预防流感", "parent": section.pk}
    )

    assert response.json() == {"slug": "dongji-ruhe-yufang-liugan-2"}


@pytest.mark.django_db
def test_an_edited_page_keeps_its_own_slug_in_the_suggestion(client, editor, section):
    article = ArticlePageFactory(parent=section, slug="dongji-ruhe-yufang-liugan")

    response = client.get(
        reverse("content_slug_suggestion"), {"title": "冬季如何预防流感", "page": article.pk}
    )

    assert response.json() == {"slug": "dongji-ruhe-yufang-liugan"}


@pytest.mark.django_db
def test_strangers_get_no_suggestions(client, section):
    response = client.get(reverse("content_slug_suggestion"), {"title": "流感"})

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_a_chinese_slug_saved_in_the_admin_is_written_in_pinyin(client, editor, section):
    url = reverse("wagtailadmin_pages:add", args=["content", "articlepage", section.pk])

    response = client.post(url, {**article_form(slug="冬季如何预防流感"), "action-submit": "提交"})

    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(title="冬季如何预防流感")
    assert article.slug == "dongji-ruhe-yufang-liugan"


@pytest.mark.django_db
def test_an_editor_may_still_choose_their_own_slug(client, editor, section):
    url = reverse("wagtailadmin_pages:add", args=["content", "articlepage", section.pk])

    client.post(url, {**article_form(slug="flu-2026"), "action-submit": "提交"})

    assert ArticlePage.objects.get(title="冬季如何预防流感").slug == "flu-2026"
