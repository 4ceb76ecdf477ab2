"""Every path that touches files works the same on the local disk and in S3 buckets
(kepu/storage.py): uploads checked by the worker, video transcoding, posters, the personal
data export and account deletion. Each test runs on both (`file_storage`)."""

import io
import zipfile

import pytest
import wagtail_factories
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.test import TestCase
from PIL import Image

from accounts.deletion import delete_account
from accounts.exports import write_export
from competitions.submissions import entries
from competitions.submissions.models import EntryFile, EntryKind
from content.reach import posters
from content.reach.shortlinks import create_poster
from content.video.transcoding import transcode
from kepu.storage import copy_to_local, private_storage
from tests.factories.contests import ContestFactory
from tests.factories.reach import ReadingPageFactory, site_home
from tests.factories.uploads import checked, jpeg_with_gps, upload
from tests.factories.users import UserFactory
from tests.factories.videos import VideoFactory, make_clip
from tests.storage import fetch, stored_names

pytestmark = pytest.mark.django_db


def accepted_photo(author=None) -> EntryFile:
    contest = ContestFactory(entry_kinds=[EntryKind.IMAGE], max_files=3, max_file_mb=2)
    author = author or UserFactory()
    draft = entries.save_draft(
        contest, author, {"title": "我的画", "group": contest.groups.first(), "kind": "image"}
    )
    return checked(lambda: entries.add_file(draft, author, upload("我的画.jpg", jpeg_with_gps())))


def test_an_upload_is_checked_from_private_storage_and_only_its_clean_copy_stays(file_storage):
    stored = accepted_photo()

    assert stored.state == EntryFile.State.ACCEPTED
    assert stored_names(private_storage()) == {stored.file.name}
    assert stored_names(default_storage) == set()
    with stored.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"\xff\xd8") and b"PhoneMaker" not in data


def test_a_local_copy_of_a_stored_file_has_its_bytes(file_storage, tmp_path):
    stored = accepted_photo()

    copy = copy_to_local(private_storage(), stored.file.name, tmp_path / "copy.jpg")

    with stored.file.open("rb") as handle:
        assert copy.read_bytes() == handle.read()
    with pytest.raises(FileNotFoundError):
        copy_to_local(private_storage(), "entries/none.jpg", tmp_path / "none.jpg")


def test_a_video_is_transcoded_from_private_storage_and_its_mp4_plays_in_byte_ranges(
    file_storage, client, tmp_path
):
    video = VideoFactory.from_clip(make_clip(tmp_path / "clip.mp4", 320, 240, 1, audio=False))

    assert transcode(video.pk) == "ready"

    video.refresh_from_db()
    assert stored_names(private_storage()) == {video.original.name}
    assert {video.mp4.name, video.poster.file.name} <= stored_names(default_storage)
    size = video.mp4.size
    with video.mp4.open("rb") as handle:
        head = handle.read(100)
    response = fetch(client, video.mp4.url, Range="bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-99/{size}"
    assert response["Content-Type"] == "video/mp4"
    assert response.content == head


def test_a_poster_draws_its_lead_image_from_the_media_storage(file_storage, monkeypatch):
    poster = create_poster(ReadingPageFactory(parent=site_home(), title="科学防护"), "公交站")
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 30, 30)).save(buffer, format="JPEG")
    picture = wagtail_factories.ImageFactory(file=ImageFile(buffer, name="red.jpg"))
    assert picture.file.name in stored_names(default_storage)
    monkeypatch.setattr(posters, "lead_image", lambda page: picture)

    image = posters.render_poster(poster, dpi=75)

    red, green, blue = image.getpixel((image.width // 2, image.height // 5))
    assert red > 150 and green < 80 and blue < 80


def test_the_data_export_carries_the_stored_file_and_deletion_removes_it(file_storage):
    author = UserFactory()
    stored = accepted_photo(author)
    other = accepted_photo()
    with stored.file.open("rb") as handle:
        mine = handle.read()

    archive = io.BytesIO()
    write_export(author, archive)

    with zipfile.ZipFile(archive) as opened:
        files = [opened.read(name) for name in opened.namelist() if name.startswith("files/")]
    assert files == [mine]
    with TestCase.captureOnCommitCallbacks(execute=True):
        delete_account(author)
    assert stored_names(private_storage()) == {other.file.name}
