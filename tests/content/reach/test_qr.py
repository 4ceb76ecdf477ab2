import defusedxml.ElementTree as ET
import pytest
import zxingcpp
from wagtail.models import PageViewRestriction

from content.reach.qr import qr_image, qr_png, qr_svg
from tests.factories.reach import ReadingPageFactory, site_home

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_qr_image_decodes_to_its_data_and_has_whole_pixel_modules():
    image = qr_image("http://localhost/s/ABCDEFG", 600)

    assert image.size[0] == image.size[1] <= 600
    assert image.size[0] % 37 == 0  # 29 modules (version 3) plus the 4-module quiet zone
    assert [r.text for r in zxingcpp.read_barcodes(image)] == ["http://localhost/s/ABCDEFG"]


def test_qr_png_is_a_png():
    assert qr_png("https://kepu.example.org/").startswith(b"\x89PNG")


def test_qr_svg_is_a_standalone_svg_document():
    root = ET.fromstring(qr_svg("https://kepu.example.org/"))

    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}path") is not None


def test_a_live_public_page_has_a_cacheable_qr_of_its_address(client):
    page = ReadingPageFactory(parent=site_home(), slug="salt")

    response = client.get(f"/qr/page/{page.pk}.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    assert response.content == qr_svg("https://kepu.example.org/salt/")


def test_an_unpublished_page_has_no_qr(client):
    page = ReadingPageFactory(parent=site_home(), live=False)

    response = client.get(f"/qr/page/{page.pk}.svg")

    assert response.status_code == 404
    assert "页面" in response.content.decode()


def test_a_private_page_has_no_qr(client):
    page = ReadingPageFactory(parent=site_home())
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    assert client.get(f"/qr/page/{page.pk}.svg").status_code == 404


def test_an_unknown_page_has_no_qr(client):
    assert client.get("/qr/page/999999.svg").status_code == 404
