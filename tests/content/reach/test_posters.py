import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import wagtail_factories
import zxingcpp
from PIL import Image

from content.reach import posters
from content.reach.posters import (
    PosterFontMissing,
    a4_pixels,
    poster_pdf,
    poster_png,
    render_poster,
)
from content.reach.shortlinks import create_poster, short_url
from tests.factories.reach import ReadingPageFactory, site_home

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

A4_POINTS = (595.28, 841.89)


@pytest.fixture
def poster():
    page = ReadingPageFactory(
        parent=site_home(), title="防疫知识网上有奖竞答：科学防护，从我做起——家庭篇"
    )
    return create_poster(page, "人民路公交站")


def decoded(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_the_png_is_a4_at_300_dpi_and_its_qr_leads_to_the_short_link(poster):
    image = Image.open(io.BytesIO(poster_png(poster)))

    assert image.format == "PNG"
    assert image.size == (2480, 3508) == a4_pixels(300)
    assert round(image.info["dpi"][0]) == 300
    assert decoded(image) == [short_url(poster)] == [f"https://kepu.example.org/s/{poster.code}"]


def test_the_pdf_is_one_a4_page_whose_qr_leads_to_the_short_link(poster, tmp_path):
    pdf = poster_pdf(poster)

    assert pdf.startswith(b"%PDF")
    media_box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    width, height = (float(value) for value in media_box.groups())
    assert abs(width - A4_POINTS[0]) < 1 and abs(height - A4_POINTS[1]) < 1
    assert b"/Count 1" in pdf
    (tmp_path / "poster.pdf").write_bytes(pdf)
    subprocess.run(
        [shutil.which("pdftoppm"), "-r", "100", "-png", "-singlefile", "poster.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    assert decoded(Image.open(tmp_path / "page.png")) == [
        f"https://kepu.example.org/s/{poster.code}"
    ]


def test_a_page_without_lead_image_gets_the_branded_block(poster):
    image = render_poster(poster, dpi=75)

    assert image.getpixel((image.width // 2, image.height // 5)) == posters.BRAND_LIGHT


def test_the_lead_image_fills_the_picture_area(poster, monkeypatch):
    picture = wagtail_factories.ImageFactory(file=_solid_image_file((200, 30, 30)))
    monkeypatch.setattr(posters, "lead_image", lambda page: picture)

    image = render_poster(poster, dpi=75)

    red, green, blue = image.getpixel((image.width // 2, image.height // 5))
    assert red > 150 and green < 80 and blue < 80
    assert decoded(image) == [short_url(poster)]


def test_long_titles_are_wrapped_and_cut_not_overflowing(poster):
    poster.page.title = "科学" * 120
    image = render_poster(poster, dpi=75)

    assert decoded(image) == [short_url(poster)]


def test_without_a_chinese_font_no_poster_is_drawn(poster, settings):
    settings.KEPU_CJK_FONT = str(Path(tempfile.gettempdir()) / "no-such-font.ttc")

    with pytest.raises(PosterFontMissing):
        render_poster(poster)


def _solid_image_file(colour):
    from django.core.files.images import ImageFile

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(buffer, format="JPEG")
    buffer.seek(0)
    return ImageFile(buffer, name="red.jpg")
