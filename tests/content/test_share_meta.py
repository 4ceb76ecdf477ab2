import re

import pytest
import wagtail_factories
from wagtail.models import Site

from content.models import OrganiserSettings
from tests.factories.pages import ArticlePageFactory

pytestmark = pytest.mark.django_db


def meta(html, prop):
    match = re.search(rf'<meta (?:property|name)="{prop}" content="([^"]*)"', html)
    return match and match.group(1)


def test_article_share_card_uses_its_title_summary_and_lead_image(client, section):
    image = wagtail_factories.ImageFactory(width=1600, height=1000)
    article = ArticlePageFactory(
        parent=section, title="彩虹的秘密", summary="阳光和水滴的魔术。", lead_image=image
    )

    html = client.get(article.url).content.decode()

    assert meta(html, "og:title") == "彩虹的秘密"
    assert meta(html, "og:description") == "阳光和水滴的魔术。"
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:url") == f"https://kepu.example.org{article.url}"
    assert f'<link rel="canonical" href="https://kepu.example.org{article.url}">' in html
    assert re.match(
        r"https://kepu\.example\.org/media/images/.*\.fill-1200x630", meta(html, "og:image")
    )


def test_pages_without_an_image_fall_back_to_the_organisers_then_the_sites_image(client, section):
    article = ArticlePageFactory(parent=section)

    assert meta(client.get(article.url).content.decode(), "og:image").endswith(
        "img/share-default.png"
    )

    settings = OrganiserSettings.for_site(Site.objects.get(is_default_site=True))
    settings.share_image = wagtail_factories.ImageFactory(width=1200, height=800)
    settings.save()
    html = client.get(article.url).content.decode()
    assert "/media/images/" in meta(html, "og:image")


def test_non_page_views_have_a_canonical_link_too(client, home):
    html = client.get("/topics/").content.decode()

    assert '<link rel="canonical" href="https://kepu.example.org/topics/">' in html
