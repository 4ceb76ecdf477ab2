import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
import zxingcpp
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError
from PIL import Image

from competitions.bookdrift import labels
from competitions.bookdrift.models import LabelLayout, LabelSheet
from kepu.storage import private_storage
from tests.factories.bookdrift import BookFactory, CampaignFactory, CopyFactory
from tests.storage import stored_names

pytestmark = pytest.mark.django_db

PUBLIC = "https://kepu.example.org"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.KEPU_BASE_URL = PUBLIC


def layout(**overrides) -> LabelLayout:
    values = {"name": "测试用 A4 3 × 8", "columns": 3, "rows": 8}
    return LabelLayout.objects.create(**{**values, **overrides})


def decoded(image: Image.Image) -> list[str]:
    return sorted(result.text for result in zxingcpp.read_barcodes(image))


def rasterised(pdf: bytes, directory, dpi: int = 150) -> list[Image.Image]:
    (directory / "labels.pdf").write_bytes(pdf)
    subprocess.run(
        [shutil.which("pdftoppm"), "-r", str(dpi), "-png", "labels.pdf", "page"],
        cwd=directory,
        check=True,
    )
    return [Image.open(path) for path in sorted(directory.glob("page*.png"))]


def test_a_label_png_is_300_dpi_at_the_labels_size_and_its_qr_opens_the_copy_page():
    copy = CopyFactory(book=BookFactory(title="戈壁里的发射场"))

    image = Image.open(io.BytesIO(labels.label_png(copy, layout())))

    assert round(image.info["dpi"][0]) == 300
    assert image.size == (labels.mm(70), labels.mm(37))
    assert decoded(image) == [f"{PUBLIC}/d/{copy.code}"]
    assert "localhost" not in decoded(image)[0]


def test_a_sheet_pdf_is_a4_and_every_qr_code_opens_its_own_copy(tmp_path):
    campaign = CampaignFactory()
    copies = [CopyFactory(campaign=campaign) for _ in range(26)]

    pdf, pages = labels.sheet_pdf(copies, layout())

    assert pages == 2
    media = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert len(media) == 2
    for width, height in media:
        assert abs(float(width) - 595.28) < 1 and abs(float(height) - 841.89) < 1
    assert b"/CCITTFaxDecode" in pdf  # bilevel, crisp for laser printers
    found = []
    for page in rasterised(pdf, tmp_path):
        found += decoded(page)
    assert sorted(found) == sorted(f"{PUBLIC}/d/{copy.code}" for copy in copies)


def test_labels_already_used_on_the_first_sheet_are_skipped():
    copies = [CopyFactory() for _ in range(3)]
    grid = layout()

    pages = labels.render_pages(copies, grid, skip=22)

    assert len(pages) == 2
    top_left = pages[0].crop((0, 0, labels.mm(70), labels.mm(37)))
    assert top_left.getextrema() == (255, 255)  # the first place stays empty


def test_a_layout_that_does_not_fit_on_a4_is_refused_with_a_chinese_message():
    too_wide = LabelLayout(name="太宽", columns=3, rows=8, label_width_mm=Decimal("71"))

    with pytest.raises(ValidationError) as refused:
        too_wide.full_clean()

    messages = " ".join(refused.value.messages)
    assert "超出了 A4 纸的范围" in messages and "213" in messages and "210" in messages


def test_the_database_refuses_a_layout_that_does_not_fit_on_a4():
    with pytest.raises(IntegrityError):
        layout(name="太高", rows=9)


def test_labels_too_small_for_a_qr_code_are_refused():
    tiny = LabelLayout(name="太小", columns=5, rows=13, label_width_mm=38, label_height_mm=20)

    with pytest.raises(ValidationError) as refused:
        tiny.full_clean()

    assert "label_width_mm" in refused.value.message_dict


def test_a_sheet_is_drawn_through_the_outbox_into_private_storage(
    file_storage, django_capture_on_commit_callbacks, tmp_path
):
    campaign = CampaignFactory()
    copies = [CopyFactory(campaign=campaign) for _ in range(4)]

    with django_capture_on_commit_callbacks(execute=True):
        sheet = labels.request_sheet(
            campaign, labels.printable_copies(campaign), layout(), by=None, outline=True
        )

    sheet.refresh_from_db()
    assert sheet.status == LabelSheet.Status.READY and sheet.pages == 1
    assert stored_names(private_storage()) == {sheet.file.name}
    assert stored_names(default_storage) == set()
    with sheet.file.open("rb") as handle:
        found = decoded(rasterised(handle.read(), tmp_path)[0])
    assert found == sorted(f"{PUBLIC}/d/{copy.code}" for copy in copies)


def test_copies_of_another_campaign_are_refused_for_a_sheet():
    campaign = CampaignFactory()
    CopyFactory(campaign=campaign)
    other = CopyFactory()

    with pytest.raises(ValidationError):
        labels.request_sheet(campaign, type(other).objects.filter(pk=other.pk), layout(), by=None)

    assert not LabelSheet.objects.exists()
