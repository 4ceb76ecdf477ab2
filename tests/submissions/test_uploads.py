"""Upload validation by content, with hostile files; nothing is stored on refusal."""

import io
import os
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from competitions.submissions import entries
from competitions.submissions.models import Entry, EntryFile, EntryKind
from content.video_models import Video
from outbox.models import OutboxMessage
from tests.factories.contests import ContestFactory
from tests.factories.pdfs import make_pdf
from tests.factories.users import UserFactory
from tests.factories.videos import make_clip

pytestmark = pytest.mark.django_db

ALL_FILE_KINDS = [EntryKind.TEXT, EntryKind.DOCUMENT, EntryKind.IMAGE, EntryKind.VIDEO]


@pytest.fixture
def draft():
    contest = ContestFactory(entry_kinds=ALL_FILE_KINDS, max_files=3, max_file_mb=2)
    author = UserFactory()
    entry = entries.save_draft(
        contest, author, {"title": "我的作品", "group": contest.groups.first(), "kind": "image"}
    )
    return entry


def private_files(settings) -> list[Path]:
    root = Path(settings.KEPU_PRIVATE_MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_with_gps(width=64, height=48, orientation=None) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "Camera app"
    gps = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 5.0)}
    exif[0x8825] = gps
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def docx_bytes(paragraphs=("读《昆虫记》有感", "法布尔观察昆虫很有耐心。")) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def assert_refused(entry, uploaded, settings, code):
    with pytest.raises(ValidationError) as caught:
        entries.add_file(entry, entry.author, uploaded)
    assert caught.value.code == code
    assert EntryFile.objects.count() == 0
    assert Video.objects.count() == 0
    assert private_files(settings) == []
    return caught.value


def test_jpeg_is_reencoded_without_exif_or_gps(draft, settings):
    stored = entries.add_file(draft, draft.author, upload("photo.jpg", jpeg_with_gps()))
    with stored.file.open("rb") as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert b"Exif" not in data and b"PhoneMaker" not in data
    assert (stored.width, stored.height) == (64, 48)
    assert stored.content_type == "image/jpeg"
    assert stored.original_name == "photo.jpg"
    assert len(private_files(settings)) == 1


def test_exif_orientation_is_applied_before_stripping(draft):
    stored = entries.add_file(draft, draft.author, upload("p.jpg", jpeg_with_gps(64, 48, 6)))
    assert (stored.width, stored.height) == (48, 64)


def test_png_with_transparency_stays_png(draft):
    out = io.BytesIO()
    image = Image.new("RGBA", (20, 10), (0, 0, 0, 0))
    image.info["comment"] = "secret"
    image.save(out, format="PNG")
    stored = entries.add_file(draft, draft.author, upload("a.png", out.getvalue(), "image/png"))
    assert stored.content_type == "image/png"
    assert stored.file.name.endswith(".png")


def test_renamed_executable_is_refused(draft, settings):
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
    error = assert_refused(draft, upload("cute-cat.jpg", elf), settings, "unsupported_type")
    assert "不" in error.messages[0]  # a Chinese message
    pe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    assert_refused(draft, upload("drawing.png", pe, "image/png"), settings, "unsupported_type")


def test_svg_with_script_is_refused(draft, settings):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script>'
        b'<rect width="10" height="10"/></svg>'
    )
    assert_refused(draft, upload("art.svg", svg, "image/svg+xml"), settings, "unsupported_type")
    assert_refused(draft, upload("art.jpg", svg), settings, "unsupported_type")


def test_png_decompression_bomb_is_refused(draft, settings):
    # A real PNG declaring 30000×30000 pixels (900 megapixels), compressed to a few KB.
    out = io.BytesIO()
    Image.new("1", (30000, 30000)).save(out, format="PNG", optimize=True)
    data = out.getvalue()
    assert len(data) < 2 * 1024 * 1024
    assert_refused(draft, upload("bomb.png", data, "image/png"), settings, "too_many_pixels")


def test_truncated_image_is_refused(draft, settings):
    data = jpeg_with_gps(400, 300)
    assert_refused(draft, upload("cut.jpg", data[: len(data) // 2]), settings, "bad_image")


def test_truncated_video_is_refused(draft, settings, tmp_path):
    clip = make_clip(tmp_path / "clip.mp4", 320, 240, 1.0)
    data = clip.read_bytes()
    assert_refused(
        draft, upload("clip.mp4", data[: len(data) // 3], "video/mp4"), settings, "not_video"
    )


def test_video_goes_to_the_transcoding_pipeline(draft, settings, tmp_path):
    clip = make_clip(tmp_path / "clip.mp4", 320, 240, 1.0)
    stored = entries.add_file(
        draft, draft.author, upload("clip.mp4", clip.read_bytes(), "video/mp4")
    )
    assert stored.kind == EntryKind.VIDEO
    assert stored.video.status == Video.Status.PENDING
    assert stored.file.name == stored.video.original.name
    assert OutboxMessage.objects.filter(target="content.tasks.transcode_video").exists()


def test_docx_text_is_extracted(draft):
    stored = entries.add_file(
        draft,
        draft.author,
        upload("review.docx", docx_bytes(), "application/octet-stream"),
    )
    assert stored.kind == EntryKind.DOCUMENT
    assert stored.extracted_text == "读《昆虫记》有感\n法布尔观察昆虫很有耐心。"


def test_docx_that_is_not_a_zip_is_refused(draft, settings):
    fake = b"PK\x03\x04" + os.urandom(300)
    assert_refused(draft, upload("review.docx", fake), settings, "bad_document")
    assert_refused(draft, upload("review.docx", b"Hello, I am text"), settings, "unsupported_type")


def test_zip_without_a_word_document_is_refused(draft, settings):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    assert_refused(draft, upload("review.docx", out.getvalue()), settings, "bad_document")


def test_pdf_must_be_complete(draft, settings):
    pdf = make_pdf(["读后感"])
    assert_refused(draft, upload("r2.pdf", pdf[:20]), settings, "bad_document")
    stored = entries.add_file(draft, draft.author, upload("r.pdf", pdf, "application/pdf"))
    assert stored.content_type == "application/pdf"


def test_size_limit_of_the_contest(draft, settings):
    big = b"\xff\xd8\xff" + b"\x00" * (2 * 1024 * 1024 + 1)
    error = assert_refused(draft, upload("big.jpg", big), settings, "too_large")
    assert "2 MB" in error.messages[0]


def test_kinds_not_allowed_by_the_contest(settings):
    contest = ContestFactory(entry_kinds=[EntryKind.TEXT, EntryKind.DOCUMENT])
    entry = entries.save_draft(
        contest, UserFactory(), {"title": "t", "group": contest.groups.first(), "kind": "text"}
    )
    assert_refused(entry, upload("p.jpg", jpeg_with_gps()), settings, "kind_not_allowed")


def test_file_count_limit(draft, settings):
    for number in range(3):
        entries.add_file(draft, draft.author, upload(f"p{number}.jpg", jpeg_with_gps()))
    with pytest.raises(ValidationError) as caught:
        entries.add_file(draft, draft.author, upload("p4.jpg", jpeg_with_gps()))
    assert caught.value.code == "too_many_files"
    assert EntryFile.objects.count() == 3
    assert len(private_files(settings)) == 3


def test_failed_row_leaves_no_file(draft, settings, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(EntryFile.objects, "create", boom)
    with pytest.raises(RuntimeError):
        entries.add_file(draft, draft.author, upload("p.jpg", jpeg_with_gps()))
    assert private_files(settings) == []
    assert Entry.objects.count() == 1


def test_removing_a_file_deletes_it(draft, settings, django_capture_on_commit_callbacks):
    stored = entries.add_file(draft, draft.author, upload("p.jpg", jpeg_with_gps()))
    with django_capture_on_commit_callbacks(execute=True):
        entries.remove_file(stored, draft.author)
    assert private_files(settings) == []


def test_deleting_the_author_deletes_the_stored_files(
    draft, settings, tmp_path, django_capture_on_commit_callbacks
):
    entries.add_file(draft, draft.author, upload("p.jpg", jpeg_with_gps()))
    clip = make_clip(tmp_path / "clip.mp4", 320, 240, 1.0)
    entries.add_file(draft, draft.author, upload("c.mp4", clip.read_bytes(), "video/mp4"))
    assert len(private_files(settings)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        draft.author.delete()
    assert private_files(settings) == []
    assert Video.objects.count() == 0
