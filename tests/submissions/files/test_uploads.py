"""The upload request's half (uploads.py): cheap checks only, the raw bytes kept privately as
a pending file, nothing decoded; refusals at once store nothing."""

import tracemalloc
import zipfile

import PIL.Image
import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from competitions.submissions import entries
from competitions.submissions.files import uploads
from competitions.submissions.files.uploads import CHECK_TARGET
from competitions.submissions.models import Entry, EntryFile, EntryKind
from content.video.models import Video
from kepu import bounded
from outbox.models import OutboxMessage
from tests.factories.contests import ContestFactory
from tests.factories.uploads import (
    big_png,
    checked,
    docx_bomb,
    jpeg_with_gps,
    png_bytes,
    upload,
)
from tests.factories.users import UserFactory
from tests.submissions.files.helpers import ALL_FILE_KINDS, private_files

pytestmark = pytest.mark.django_db


def assert_refused_at_once(entry, uploaded, settings, code):
    with pytest.raises(ValidationError) as caught:
        entries.add_file(entry, entry.author, uploaded)
    assert caught.value.code == code
    assert EntryFile.objects.count() == 0
    assert Video.objects.count() == 0
    assert private_files(settings) == []
    assert not OutboxMessage.objects.filter(target=CHECK_TARGET).exists()
    return caught.value


@pytest.fixture
def nothing_decoded(monkeypatch):
    """Fails the test if the code under it opens an image, a zip, a PDF or runs a child."""

    def forbidden(what):
        def refuse(*args, **kwargs):
            raise AssertionError(f"{what} in the upload request")

        return refuse

    monkeypatch.setattr(PIL.Image, "open", forbidden("Pillow decoding"))
    monkeypatch.setattr(zipfile, "ZipFile", forbidden("unzipping"))
    monkeypatch.setattr(pypdf, "PdfReader", forbidden("PDF parsing"))
    monkeypatch.setattr(bounded, "run", forbidden("a checking child process"))


def test_an_upload_is_kept_raw_and_pending_with_its_check_queued(draft, settings):
    stored = entries.add_file(draft, draft.author, upload("画.jpg", jpeg_with_gps()))

    assert stored.state == EntryFile.State.PENDING
    assert stored.kind == EntryKind.IMAGE and stored.original_name == "画.jpg"
    assert stored.file.name.startswith("entries/originals/") and stored.file.name.endswith(".jpg")
    assert "画" not in stored.file.name  # stored under a random name
    assert [p.read_bytes() for p in private_files(settings)] == [jpeg_with_gps()]
    queued = OutboxMessage.objects.get(target=CHECK_TARGET)
    assert queued.args == [stored.pk]


@pytest.mark.parametrize(
    ("name", "data"),
    [("36mp.png", big_png()), ("essay.docx", docx_bomb(90))],
    ids=["36-megapixel-png", "docx-with-90-mb-document"],
)
def test_the_request_decodes_nothing_and_stays_small(draft, name, data, nothing_decoded):
    tracemalloc.start()
    try:
        stored = entries.add_file(draft, draft.author, upload(name, data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert stored.state == EntryFile.State.PENDING
    assert peak < 8 * 1024 * 1024  # the upload itself is < 1 MB; decoding would be 90+ MB


def test_a_renamed_executable_is_refused_at_once(draft, settings):
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
    error = assert_refused_at_once(draft, upload("cute-cat.jpg", elf), settings, "unsupported_type")
    assert "不" in error.messages[0]  # a Chinese message
    pe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    assert_refused_at_once(draft, upload("drawing.png", pe), settings, "unsupported_type")


def test_svg_with_script_is_refused_at_once(draft, settings):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script>'
        b'<rect width="10" height="10"/></svg>'
    )
    assert_refused_at_once(draft, upload("art.svg", svg), settings, "unsupported_type")
    assert_refused_at_once(draft, upload("art.jpg", svg), settings, "unsupported_type")


def test_a_playlist_disguised_as_a_video_is_refused_at_once(draft, settings):
    playlist = b"#EXTM3U\n#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n"
    assert_refused_at_once(draft, upload("clip.mp4", playlist), settings, "unsupported_type")


def test_empty_file_and_size_limit_of_the_contest(draft, settings):
    assert_refused_at_once(draft, upload("empty.jpg", b""), settings, "empty")
    big = b"\xff\xd8\xff" + b"\x00" * (2 * 1024 * 1024 + 1)
    error = assert_refused_at_once(draft, upload("big.jpg", big), settings, "too_large")
    assert "2 MB" in error.messages[0]


def test_kinds_not_allowed_by_the_contest(settings):
    contest = ContestFactory(entry_kinds=[EntryKind.TEXT, EntryKind.DOCUMENT])
    entry = entries.save_draft(
        contest, UserFactory(), {"title": "t", "group": contest.groups.first(), "kind": "text"}
    )
    assert_refused_at_once(entry, upload("p.jpg", jpeg_with_gps()), settings, "kind_not_allowed")


def test_pending_files_count_toward_the_file_limit_and_refused_ones_do_not(draft, settings):
    for number in range(3):
        entries.add_file(draft, draft.author, upload(f"p{number}.jpg", jpeg_with_gps()))

    with pytest.raises(ValidationError) as caught:
        entries.add_file(draft, draft.author, upload("p4.jpg", jpeg_with_gps()))

    assert caught.value.code == "too_many_files"
    assert EntryFile.objects.count() == 3
    assert len(private_files(settings)) == 3
    EntryFile.objects.filter(pk=EntryFile.objects.first().pk).update(
        state=EntryFile.State.REFUSED, file="", refusal_message="图片无法读取。"
    )
    entries.add_file(draft, draft.author, upload("p5.jpg", jpeg_with_gps()))


def test_a_failed_row_leaves_no_file(draft, settings, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(EntryFile.objects, "create", boom)
    with pytest.raises(RuntimeError):
        entries.add_file(draft, draft.author, upload("p.jpg", jpeg_with_gps()))
    assert private_files(settings) == []
    assert Entry.objects.count() == 1


def test_a_lost_outbox_record_leaves_no_file(draft, settings, monkeypatch):
    from outbox import services

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.OutboxMessage.objects, "create", boom)
    with pytest.raises(RuntimeError):
        entries.add_file(draft, draft.author, upload("p.jpg", jpeg_with_gps()))
    assert private_files(settings) == []


def test_removing_a_file_deletes_it(draft, settings, django_capture_on_commit_callbacks):
    stored = checked(
        lambda: entries.add_file(draft, draft.author, upload("p.jpg", jpeg_with_gps()))
    )
    with django_capture_on_commit_callbacks(execute=True):
        entries.remove_file(stored, draft.author)
    assert private_files(settings) == []


def test_deleting_the_author_deletes_the_stored_files(
    draft, settings, tmp_path, django_capture_on_commit_callbacks
):
    from tests.factories.videos import make_clip

    checked(lambda: entries.add_file(draft, draft.author, upload("p.jpg", jpeg_with_gps())))
    clip = make_clip(tmp_path / "clip.mp4", 320, 240, 1.0)
    entries.add_file(draft, draft.author, upload("c.mp4", clip.read_bytes()))
    checked(lambda: entries.add_file(draft, draft.author, upload("d.png", png_bytes())))
    assert len(private_files(settings)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        draft.author.delete()
    assert private_files(settings) == []
    assert Video.objects.count() == 0


@pytest.mark.parametrize(
    ("original_name", "stored", "expected"),
    [
        ("作品\u202egnp.exe", "entries/2026/12/ab12.jpg", "作品gnp.jpg"),
        ("drawing.png", "entries/2026/12/ab12.jpg", "drawing.jpg"),
        ("C:\\Users\\pupil\\读后感.DOCX", "entries/2026/12/ab12.docx", "读后感.docx"),
        ("../../etc/passwd", "entries/2026/12/ab12.pdf", "passwd.pdf"),
        ("\u200b\u202e.exe", "entries/2026/12/ab12.jpg", "file.jpg"),
        ("我的 作品.v2.pdf", "entries/2026/12/ab12.pdf", "我的 作品.v2.pdf"),
    ],
)
def test_the_download_name_has_the_stored_files_real_extension(original_name, stored, expected):
    entry_file = EntryFile(original_name=original_name, file=stored)

    assert uploads.download_name(entry_file) == expected


def test_uploading_over_http_answers_at_once_that_the_file_is_being_checked(client, draft):
    client.force_login(draft.author)

    response = client.post(
        reverse("contests:entry_upload", args=[draft.public_id]),
        {"file": upload("画.png", png_bytes(), "image/png")},
        follow=True,
    )

    html = response.content.decode()
    assert "文件已上传，正在检查。" in html
    assert "正在检查" in html and 'http-equiv="refresh"' in html
    assert EntryFile.objects.get().state == EntryFile.State.PENDING


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_where_background_work_runs_at_once_the_answer_already_has_the_verdict(client):
    # The embedded default: tasks run eagerly, after the upload's commit, in a bounded child.
    contest = ContestFactory(entry_kinds=[EntryKind.IMAGE], max_files=3)
    author = UserFactory()
    entry = entries.save_draft(
        contest, author, {"title": "画", "group": contest.groups.first(), "kind": "image"}
    )
    client.force_login(author)
    url = reverse("contests:entry_upload", args=[entry.public_id])

    good = client.post(url, {"file": upload("好图.png", png_bytes())}, follow=True)
    bad = client.post(url, {"file": upload("坏图.png", png_bytes()[:40])}, follow=True)

    assert "文件已上传，检查通过。" in good.content.decode()
    assert "“坏图.png”未通过检查：无法读取这张图片" in bad.content.decode()
    assert sorted(EntryFile.objects.values_list("state", flat=True)) == ["accepted", "refused"]


HOSTILE_UPLOADS = {
    "truncated-png": ("a.png", png_bytes(64, 64)[:60]),
    "jpeg-zip-polyglot": ("a.jpg", jpeg_with_gps() + b"PK\x03\x04" + b"\x00" * 100),
    "pdf-zip-polyglot": ("a.pdf", b"%PDF-1.7\n" + b"PK\x03\x04" + b"\x00" * 200 + b"%%EOF"),
    "html-as-jpeg": ("a.jpg", b"\xff\xd8\xff<html><script>alert(1)</script></html>"),
    "zip-of-zeros": ("a.docx", b"PK\x03\x04" + b"\x00" * 500),
    "avi-header-only": ("a.avi", b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 100),
    "nul-and-rtl-name": ("\u202e作品\x00gnp.exe", png_bytes()),
    "very-long-name": ("长" * 400 + ".png", png_bytes()),
}


@pytest.mark.parametrize("name,data", HOSTILE_UPLOADS.values(), ids=HOSTILE_UPLOADS.keys())
@pytest.mark.django_db(transaction=True)
def test_hostile_uploads_get_a_verdict_and_never_a_server_error(client, settings, name, data):
    contest = ContestFactory(entry_kinds=ALL_FILE_KINDS, max_files=3)
    author = UserFactory()
    entry = entries.save_draft(
        contest, author, {"title": "画", "group": contest.groups.first(), "kind": "image"}
    )
    client.force_login(author)

    response = client.post(
        reverse("contests:entry_upload", args=[entry.public_id]),
        {"file": upload(name, data)},
        follow=True,
    )

    assert response.status_code == 200
    page = client.get(reverse("contests:entry_edit", args=[entry.public_id]))
    assert page.status_code == 200
    for entry_file in EntryFile.objects.all():
        assert entry_file.state in (EntryFile.State.ACCEPTED, EntryFile.State.REFUSED)
        if entry_file.is_accepted:
            download = client.get(reverse("contests:entry_file", args=[entry_file.pk]))
            assert download.status_code == 200
            assert "\u202e" not in download["Content-Disposition"]
    refused = EntryFile.objects.filter(state=EntryFile.State.REFUSED).count()
    assert len(private_files(settings)) == EntryFile.objects.count() - refused
