"""Public media served by Django answer byte ranges (iPhone Safari plays videos only so)."""

import pytest
from django.utils.http import http_date

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def video(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "videos").mkdir()
    path = tmp_path / "videos" / "clip.mp4"
    path.write_bytes(bytes(range(256)) * 4)  # 1024 bytes
    return path


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_range_request_gets_206_with_just_those_bytes(client, video):
    response = client.get("/media/videos/clip.mp4", HTTP_RANGE="bytes=0-1")

    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 0-1/1024"
    assert response["Content-Length"] == "2"
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == b"\x00\x01"


def test_open_ended_and_suffix_ranges_are_served_as_asked(client, video):
    tail = client.get("/media/videos/clip.mp4", HTTP_RANGE="bytes=1000-")
    last = client.get("/media/videos/clip.mp4", HTTP_RANGE="bytes=-4")

    assert tail.status_code == 206 and tail["Content-Range"] == "bytes 1000-1023/1024"
    assert body(tail) == bytes(range(232, 256))
    assert last.status_code == 206 and body(last) == bytes(range(252, 256))


def test_without_a_usable_range_the_whole_file_comes_with_accept_ranges(client, video):
    for header in ({}, {"HTTP_RANGE": "bytes=2000-3000"}, {"HTTP_RANGE": "bytes=0-1,5-6"}):
        response = client.get("/media/videos/clip.mp4", **header)

        assert response.status_code == 200
        assert response["Accept-Ranges"] == "bytes"
        assert len(body(response)) == 1024


def test_an_unchanged_file_answers_304(client, video):
    modified = http_date(video.stat().st_mtime)

    response = client.get("/media/videos/clip.mp4", HTTP_IF_MODIFIED_SINCE=modified)

    assert response.status_code == 304


def test_paths_outside_media_and_wagtail_documents_are_not_served(client, video, settings):
    (settings.MEDIA_ROOT / "documents").mkdir()
    (settings.MEDIA_ROOT / "documents" / "rules.pdf").write_bytes(b"%PDF-1.4")

    assert client.get("/media/../settings.py").status_code == 404
    assert client.get("/media/%2e%2e/%2e%2e/etc/passwd").status_code == 404
    assert client.get("/media/documents/rules.pdf").status_code == 404
    assert client.get("/media/videos/missing.mp4").status_code == 404
