"""content/sharing/cards.py and the share box: the share card for Moments, and the share
button pages offer."""

import io

import pytest
import zxingcpp
from PIL import Image

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_the_share_card_is_a_portrait_png_whose_qr_opens_the_public_page(client, article):
    response = client.get(f"/share/page/{article.pk}.png")

    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1080, 1440)
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [
        f"https://kepu.example.org{article.url}"
    ]


def test_unpublished_pages_have_no_share_card(client, article):
    article.unpublish()

    assert client.get(f"/share/page/{article.pk}.png").status_code == 404
    assert client.get("/share/page/999999.png").status_code == 404


def test_an_article_offers_the_share_button_and_the_card(client, article):
    html = client.get(article.url).content.decode()

    assert "data-share-button" in html and "分享给朋友" in html
    assert f"/share/page/{article.pk}.png" in html
    assert f'data-share-url="https://kepu.example.org{article.url}"' in html
    # No official account configured: no JS-SDK.
    assert "data-wechat-config" not in html
