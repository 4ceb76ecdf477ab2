"""An article page on a phone weighs under 150 KB before images (issue: Speed)."""

import re

import pytest
from django.contrib.staticfiles import finders

from content.models import ArticlePage

pytestmark = pytest.mark.django_db
BUDGET = 150 * 1024


def test_longest_demo_article_weighs_under_the_budget_before_images(client, demo_site):
    article = max(ArticlePage.objects.live(), key=lambda page: len(str(page.body)))

    html = client.get(article.url).content
    assets = re.findall(rb'(?:href|src)="/static/([^"?]+\.(?:css|js))"', html)
    weight = len(html) + sum(len(open(finders.find(a.decode()), "rb").read()) for a in assets)  # noqa: SIM115

    assert assets, "the page links its stylesheet and script"
    assert weight < BUDGET, f"{weight} bytes"
    # Images below the fold load lazily.
    assert (
        'loading="lazy"' in html.decode() or "<img" not in html.decode().split("article__body")[1]
    )
