"""inspection.py: what an upload really is and its clean copy, worked out in a bounded child
process. Real files, hostile ones included; the calling process never decodes them."""

import io
import os
import zipfile
from dataclasses import replace

import pytest
from PIL import Image

from competitions.submissions.files import inspection, pdf_text
from tests.factories.pdfs import make_pdf
from tests.factories.uploads import (
    big_png,
    docx_author_traces,
    docx_bomb,
    docx_bytes,
    docx_with_author,
    docx_with_photos,
    jpeg_with_gps,
)


@pytest.fixture
def run(tmp_path):
    def run(op: str, data: bytes, **kwargs):
        source = tmp_path / "source"
        source.write_bytes(data)
        output = tmp_path / "output"
        return inspection.inspect(op, source, output, **kwargs), output

    return run


def test_a_photo_is_written_again_upright_without_exif_or_gps(run):
    verdict, output = run("image", jpeg_with_gps(64, 48, orientation=6))

    assert verdict == {"ok": True, "extension": "jpg", "width": 48, "height": 64}
    data = output.read_bytes()
    assert b"Exif" not in data and b"PhoneMaker" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


def test_a_png_with_transparency_stays_a_png_without_its_text_chunks(run):
    buffer = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "张小明")
    Image.new("RGBA", (20, 10), (0, 0, 0, 0)).save(buffer, format="PNG", pnginfo=info)

    verdict, output = run("image", buffer.getvalue())

    assert verdict["ok"] and verdict["extension"] == "png"
    assert "张小明".encode() not in output.read_bytes()
    assert Image.open(output).text == {}


def test_a_36_megapixel_png_is_scaled_down_to_4096_pixels(run):
    verdict, output = run("image", big_png(6000, 6000))

    assert verdict == {"ok": True, "extension": "jpg", "width": 4096, "height": 4096}
    assert Image.open(output).size == (4096, 4096)


def test_pixels_are_counted_from_the_header_before_decoding(run):
    # 900 megapixels declared in a few KB: refused without decoding, well within the limits.
    buffer = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, format="PNG", optimize=True)

    verdict, output = run("image", buffer.getvalue())

    assert verdict == {"ok": False, "code": "too_many_pixels", "params": {}}
    assert not output.exists()


def test_an_image_that_needs_more_memory_than_allowed_is_refused_as_too_much_to_check(run):
    tight = replace(inspection.LIMITS["image"], memory_bytes=160 * 1024 * 1024)

    verdict, _ = run("image", big_png(6000, 6000), limits=tight)

    assert verdict == {"ok": False, "code": "check_limit", "params": {}}


def test_a_check_that_takes_too_long_is_stopped(run):
    hurried = replace(inspection.LIMITS["image"], seconds=0.05)

    verdict, _ = run("image", big_png(6000, 6000), limits=hurried)

    assert verdict["code"] == "check_limit"


@pytest.mark.parametrize(
    "data",
    [
        jpeg_with_gps(400, 300)[:300],  # truncated
        b"\x89PNG\r\n\x1a\n" + os.urandom(400),  # a PNG signature and noise
        jpeg_with_gps() + docx_bytes(),  # a JPEG/zip polyglot's zip part is never read
    ],
    ids=["truncated", "noise", "polyglot"],
)
def test_broken_images_are_refused_and_polyglots_lose_their_payload(run, data):
    verdict, output = run("image", data)

    if verdict["ok"]:
        assert b"PK\x03\x04" not in output.read_bytes()
    else:
        assert verdict["code"] == "bad_image"


def test_a_docx_gives_its_text_and_a_copy_without_any_trace_of_its_author(run):
    original = docx_with_author()
    assert set(docx_author_traces(original)) >= {
        "docProps/core.xml",
        "docProps/app.xml",
        "docProps/custom.xml",
        "word/comments.xml",
        "word/people.xml",
        "word/document.xml",
        "word/_rels/settings.xml.rels",
    }

    verdict, output = run("docx", original)

    assert verdict == {
        "ok": True,
        "text": "读《昆虫记》有感\n法布尔观察昆虫很有耐心。\n补充的一句话。",
    }
    clean = output.read_bytes()
    assert docx_author_traces(clean) == {}
    with zipfile.ZipFile(io.BytesIO(clean)) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == sorted(
            zipfile.ZipFile(io.BytesIO(original)).namelist()
        )
        assert "补充的一句话" in archive.read("word/document.xml").decode()


def test_photos_pasted_into_a_docx_lose_their_gps_and_names_but_not_a_pixel(run):
    original = docx_with_photos()
    assert set(docx_author_traces(original)) == {"word/media/image1.jpeg", "word/media/image2.png"}
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        photo = Image.open(io.BytesIO(archive.read("word/media/image1.jpeg")))
        assert photo.getexif().get_ifd(0x8825)  # GPS
        drawing = Image.open(io.BytesIO(archive.read("word/media/image2.png")))
        assert drawing.info["Author"] == "Zhang Xiaoming"

    verdict, output = run("docx", original)

    assert verdict["ok"] is True
    assert docx_author_traces(output.read_bytes()) == {}
    with zipfile.ZipFile(output) as archive:
        clean_photo = Image.open(io.BytesIO(archive.read("word/media/image1.jpeg")))
        clean_drawing = Image.open(io.BytesIO(archive.read("word/media/image2.png")))
        assert not clean_photo.getexif()
        assert b"PhoneMaker" not in archive.read("word/media/image1.jpeg")
        assert not clean_drawing.getexif()
        assert not {"Author", "Description"} & set(clean_drawing.info)
        assert clean_photo.tobytes() == photo.tobytes()
        assert clean_drawing.tobytes() == drawing.tobytes()


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xd8\xff\xe1\x10\x00Exif",  # a segment longer than the file
        b"\xff\xd8garbage",
        b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfftEXt",  # a chunk longer than the file
        b"GIF89a",
    ],
    ids=["jpeg-cut-short", "jpeg-no-markers", "png-cut-short", "gif"],
)
def test_a_damaged_or_other_picture_comes_out_as_it_went_in(data):
    assert inspection.strip_picture_metadata(data) == data


def test_metadata_is_found_past_the_fill_bytes_before_a_marker():
    photo = jpeg_with_gps(16, 16)
    padded = photo[:2] + b"\xff\xff" + photo[2:]

    assert b"Exif" not in inspection.strip_picture_metadata(padded)


def test_a_docx_whose_document_unpacks_to_90_mb_is_refused_without_reading_it(run):
    bomb = docx_bomb(90)
    assert len(bomb) < 1024 * 1024

    verdict, output = run("docx", bomb)

    assert verdict == {"ok": False, "code": "document_too_large", "params": {"limit": 16}}
    assert not output.exists()


@pytest.mark.parametrize(
    "members",
    [
        {"payload.exe": b"MZ"},  # no Word document
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"},  # bad XML
        {"[Content_Types].xml": b"", "word/document.xml": b"<a/>", "word/vbaProject.bin": b""},
        {"[Content_Types].xml": b"", "word/document.xml": b"<a/>", "../../evil.sh": b"rm"},
    ],
    ids=["not-word", "bad-xml", "macros", "path-traversal"],
)
def test_packages_that_are_not_plain_word_documents_are_refused(run, members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)

    verdict, _ = run("docx", buffer.getvalue())

    assert verdict == {"ok": False, "code": "bad_document", "params": {"format": "docx"}}


def test_a_zip_that_is_not_a_zip_is_refused(run):
    verdict, _ = run("docx", b"PK\x03\x04" + os.urandom(300))

    assert verdict["code"] == "bad_document"


def test_an_entity_expansion_bomb_in_the_document_is_refused(run):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
            for i in range(9)
        )
        + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&lol8;</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", laughs)

    verdict, _ = run("docx", buffer.getvalue())

    assert verdict["ok"] is False
    assert verdict["code"] in ("bad_document", "check_limit")


ESSAY = ["读《昆虫记》有感\n法布尔观察昆虫很有耐心。", "第二页：我也想养一只螳螂。"]


def test_the_text_of_every_page_is_extracted():
    result = inspection.extract_pdf_text(make_pdf(ESSAY))

    assert result.status == "ok" and result.pages == 2
    assert "法布尔观察昆虫很有耐心。" in result.text
    assert "我也想养一只螳螂" in result.text


def test_extracted_text_is_cut_at_the_limit(monkeypatch):
    monkeypatch.setattr(pdf_text, "MAX_TEXT_CHARS", 50)
    result = inspection.extract_pdf_text(make_pdf(["科" * 40, "普" * 40, "学" * 40]))

    assert result.status == "ok"
    assert len(result.text) == 50


def test_a_pdf_that_takes_too_long_is_stopped():
    result = inspection.extract_pdf_text(make_pdf(ESSAY), timeout=0.001)

    assert result.status == "unreadable" and result.text == ""
