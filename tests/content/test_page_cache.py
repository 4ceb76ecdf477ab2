"""Anonymous readers get pages from the cache; publishing makes the change visible at once."""

import pytest

from tests.factories.pages import ArticlePageFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_second_anonymous_view_is_served_from_the_cache(client, section):
    article = ArticlePageFactory(parent=section)

    first = client.get(article.url)
    second = client.get(article.url)

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_publishing_a_change_invalidates_the_cached_page(client, section):
    article = ArticlePageFactory(parent=section, title="旧标题")
    client.get(article.url)
    client.get(section.url)

    article.title = "新标题"
    article.save_revision().publish()

    assert "新标题" in client.get(article.url).content.decode()
    assert "新标题" in client.get(section.url).content.decode()


def test_unpublishing_removes_the_page_from_cached_lists(client, section):
    article = ArticlePageFactory(parent=section, title="即将下线")
    assert "即将下线" in client.get(section.url).content.decode()

    article.unpublish()

    assert "即将下线" not in client.get(section.url).content.decode()
    assert client.get(article.url).status_code == 404


def test_signed_in_users_bypass_the_cache(client, section):
    article = ArticlePageFactory(parent=section)
    client.get(article.url)
    client.force_login(UserFactory())

    response = client.get(article.url)

    assert "X-Page-Cache" not in response
    assert "我的" in response.content.decode() and "登录" not in response.content.decode()


def test_unknown_query_parameters_bypass_the_cache(client, section):
    article = ArticlePageFactory(parent=section)

    client.get(article.url, {"utm_source": "x"})
    response = client.get(article.url, {"utm_source": "x"})

    assert "X-Page-Cache" not in response


def test_large_text_readers_get_their_own_cached_copy(client, section):
    article = ArticlePageFactory(parent=section)
    client.get(article.url)

    client.cookies["kepu_large_text"] = "1"
    response = client.get(article.url)

    assert response["X-Page-Cache"] == "miss"
    assert 'class="large-text"' in response.content.decode()
