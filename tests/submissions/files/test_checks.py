"""The worker's check of an upload (checks.py), delivered through the outbox as after a
real commit: accepted with a clean copy, or refused with the author's message and no stored
bytes; exactly one verdict however often it is delivered; nothing decoded in this process."""

import io
import tracemalloc
import zipfile
from pathlib import Path

import PIL.Image
import pytest
from django.test import TestCase
from PIL import Image

from competitions.submissions import entries
from competitions.submissions.files import checks, uploads
from competitions.submissions.models import Entry, EntryFile, EntryKind
from content.video.models import Video
from outbox import services as outbox
from outbox.models import OutboxMessage
from tests.concurrency import at_once
from tests.factories.contests import ContestFactory
from tests.factories.pdfs import make_pdf
from tests.factories.uploads import (
    big_png,
    checked,
    docx_bomb,
    docx_bytes,
    jpeg_with_gps,
    png_bytes,
    upload,
)
from tests.factories.users import UserFactory
from tests.factories.videos import make_clip
from tests.submissions.files.helpers import ALL_FILE_KINDS, private_files

pytestmark = pytest.mark.django_db


def add(entry, name, data):
    return checked(lambda: entries.add_file(entry, entry.author, upload(name, data)))


def assert_refused_after_check(entry, name, data, settings, code) -> EntryFile:
    refused = add(entry, name, data)
    assert refused.state == EntryFile.State.REFUSED
    assert refused.refusal_code == code
    assert refused.refusal_message  # the author's reason, in Chinese
    assert not refused.file
    assert private_files(settings) == []  # a refused upload leaves no stored bytes
    assert Video.objects.count() == 0
    return refused


def test_a_photo_is_accepted_as_a_clean_jpeg_in_place_of_the_raw_upload(draft, settings):
    stored = add(draft, "photo.jpg", jpeg_with_gps(64, 48, orientation=6))

    assert stored.state == EntryFile.State.ACCEPTED and stored.checked_at
    assert (stored.width, stored.height) == (48, 64)
    assert stored.content_type == "image/jpeg" and stored.file.name.endswith(".jpg")
    assert not stored.file.name.startswith("entries/originals/")
    data = stored.file.open("rb").read()
    assert b"Exif" not in data and b"PhoneMaker" not in data
    assert [p.name for p in private_files(settings)] == [Path(stored.file.name).name]


def test_a_png_with_transparency_stays_png(draft):
    stored = add(draft, "a.png", png_bytes(20, 10, "RGBA"))

    assert stored.content_type == "image/png" and stored.file.name.endswith(".png")


def test_the_36_megapixel_png_is_decoded_in_a_child_process_not_here(draft, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("an image was decoded in the worker's own process")

    monkeypatch.setattr(PIL.Image, "open", forbidden)
    tracemalloc.start()
    try:
        stored = add(draft, "36mp.png", big_png())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert stored.state == EntryFile.State.ACCEPTED
    assert (stored.width, stored.height) == (4096, 4096)
    assert peak < 16 * 1024 * 1024


def test_the_docx_with_a_90_mb_document_is_refused_without_unpacking_it_here(draft, settings):
    tracemalloc.start()
    try:
        refused = assert_refused_after_check(
            draft, "读后感.docx", docx_bomb(90), settings, "document_too_large"
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "太大" in refused.refusal_message and "16 MB" in refused.refusal_message
    assert peak < 16 * 1024 * 1024


def test_a_decompression_bomb_is_refused_with_the_pixel_message(draft, settings):
    buffer = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, format="PNG", optimize=True)

    refused = assert_refused_after_check(
        draft, "bomb.png", buffer.getvalue(), settings, "too_many_pixels"
    )

    assert refused.refusal_message == "图片像素过大（最多 40 百万像素），请上传较小的图片。"


def test_a_truncated_image_is_refused(draft, settings):
    data = jpeg_with_gps(400, 300)
    assert_refused_after_check(draft, "cut.jpg", data[: len(data) // 2], settings, "bad_image")


def test_a_truncated_video_is_refused(draft, settings, tmp_path):
    data = make_clip(tmp_path / "clip.mp4", 320, 240, 1.0).read_bytes()
    assert_refused_after_check(draft, "clip.mp4", data[: len(data) // 3], settings, "not_video")


def test_an_accepted_video_goes_to_the_transcoding_pipeline(draft, tmp_path):
    clip = make_clip(tmp_path / "clip.mp4", 320, 240, 1.0)

    stored = add(draft, "clip.mp4", clip.read_bytes())

    assert stored.state == EntryFile.State.ACCEPTED and stored.kind == EntryKind.VIDEO
    assert stored.video.private_outputs
    assert stored.file.name == stored.video.original.name
    assert (stored.width, stored.height) == (320, 240)
    assert stored.video.status in (Video.Status.READY, Video.Status.PENDING)
    assert OutboxMessage.objects.filter(
        target="content.transcode_video", args=[stored.video_id]
    ).exists()


def test_with_only_the_wheels_ffmpeg_a_video_entry_is_checked_and_a_cut_one_refused(
    draft, settings, tmp_path, only_the_wheels_ffmpeg
):
    clip = make_clip(tmp_path / "clip.mp4", 320, 240, 1.0)

    stored = add(draft, "clip.mp4", clip.read_bytes())

    assert stored.state == EntryFile.State.ACCEPTED and stored.kind == EntryKind.VIDEO
    assert (stored.width, stored.height) == (320, 240)
    data = make_clip(tmp_path / "other.mp4", 320, 240, 1.0).read_bytes()
    refused = add(draft, "other.mp4", data[: len(data) // 3])
    assert (refused.state, refused.refusal_code) == (EntryFile.State.REFUSED, "not_video")


def test_docx_text_is_extracted(draft):
    stored = add(draft, "review.docx", docx_bytes())

    assert stored.state == EntryFile.State.ACCEPTED and stored.kind == EntryKind.DOCUMENT
    assert stored.extracted_text == "读《昆虫记》有感\n法布尔观察昆虫很有耐心。"
    assert stored.file.name.endswith(".docx")


def test_a_zip_without_a_word_document_is_refused(draft, settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ")

    refused = assert_refused_after_check(
        draft, "review.docx", buffer.getvalue(), settings, "bad_document"
    )

    assert "Word" in refused.refusal_message


def test_an_incomplete_pdf_is_refused_and_a_complete_one_accepted(draft, settings):
    pdf = make_pdf(["读后感"])
    refused = assert_refused_after_check(draft, "r2.pdf", pdf[:300], settings, "bad_document")
    assert "PDF" in refused.refusal_message

    stored = add(draft, "r.pdf", pdf)

    assert stored.state == EntryFile.State.ACCEPTED
    assert stored.content_type == "application/pdf" and stored.extracted_text == "读后感"


def test_redelivery_gives_one_verdict_and_one_stored_file(draft, settings):
    stored = entries.add_file(draft, draft.author, upload("p.jpg", jpeg_with_gps()))

    with TestCase.captureOnCommitCallbacks(execute=True):
        first = checks.check_entry_file(stored.pk)
        second = checks.check_entry_file(stored.pk)

    assert (first, second) == ("accepted", "skipped")
    stored.refresh_from_db()
    assert stored.state == EntryFile.State.ACCEPTED
    assert [p.name for p in private_files(settings)] == [Path(stored.file.name).name]


def test_a_crash_before_the_verdict_leaves_the_file_pending_and_the_outbox_redelivers(
    draft, settings, monkeypatch
):
    stored = entries.add_file(draft, draft.author, upload("p.jpg", jpeg_with_gps()))
    message = OutboxMessage.objects.get(target=uploads.CHECK_TARGET)
    real_record = checks.record

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(checks, "record", crash)
    with pytest.raises(RuntimeError):
        outbox.run(message.pk)

    stored.refresh_from_db()
    message.refresh_from_db()
    assert stored.state == EntryFile.State.PENDING
    assert message.is_pending and "worker killed" in message.last_error
    assert len(private_files(settings)) == 1  # only the raw upload

    monkeypatch.setattr(checks, "record", real_record)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert outbox.run(message.pk) is True

    stored.refresh_from_db()
    assert stored.state == EntryFile.State.ACCEPTED
    assert [p.name for p in private_files(settings)] == [Path(stored.file.name).name]


def test_a_file_removed_while_it_is_checked_is_left_alone(draft, settings):
    stored = entries.add_file(draft, draft.author, upload("p.jpg", jpeg_with_gps()))
    with TestCase.captureOnCommitCallbacks(execute=True):
        entries.remove_file(stored, draft.author)

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert checks.check_entry_file(stored.pk) == "skipped"

    assert private_files(settings) == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_record_one_verdict(settings, monkeypatch):
    monkeypatch.setattr(outbox, "dispatch", lambda message_id: False)  # the broker is away
    contest = ContestFactory(entry_kinds=ALL_FILE_KINDS, max_files=3, max_file_mb=2)
    author = UserFactory()
    entry = entries.save_draft(
        contest, author, {"title": "我的作品", "group": contest.groups.first(), "kind": "image"}
    )
    stored = entries.add_file(entry, author, upload("p.jpg", jpeg_with_gps()))
    results = at_once([lambda: checks.check_entry_file(stored.pk)] * 2)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(results) == ["accepted", "skipped"]
    stored.refresh_from_db()
    assert stored.state == EntryFile.State.ACCEPTED
    assert [p.name for p in private_files(settings)] == [Path(stored.file.name).name]


def test_submitting_while_a_file_is_being_checked_asks_to_wait(draft):
    pending = entries.add_file(draft, draft.author, upload("p.jpg", jpeg_with_gps()))

    with pytest.raises(Exception) as caught:
        entries.submit_entry(draft, draft.author)

    assert caught.value.code == "pending"
    assert "文件正在检查，请稍候再提交" in caught.value.messages[0]
    with TestCase.captureOnCommitCallbacks(execute=True):
        checks.check_entry_file(pending.pk)
    assert entries.submit_entry(draft, draft.author).status == Entry.Status.SUBMITTED


def test_refused_files_do_not_make_an_entry_complete(draft):
    add(draft, "cut.jpg", jpeg_with_gps(400, 300)[:500])

    with pytest.raises(Exception) as caught:
        entries.submit_entry(draft, draft.author)

    assert caught.value.code == "empty"


def test_the_video_check_never_lets_ffprobe_read_another_file(draft, settings, tmp_path):
    secret = make_clip(tmp_path / "secret.mp4", 320, 240, 1.0)  # another child's video
    playlist = (
        f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:1.0,\n{secret}\n#EXT-X-ENDLIST\n"
    ).encode()
    # As if the type sniff of the request had been fooled.
    received = uploads.Received(EntryKind.VIDEO, "video/mp4", "mp4")
    pending = uploads.store_pending(draft, upload("clip.mp4", playlist), received, sort_order=0)

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert checks.check_entry_file(pending.pk) == "refused"

    pending.refresh_from_db()
    assert pending.refusal_code == "not_video"
    assert Video.objects.count() == 0
