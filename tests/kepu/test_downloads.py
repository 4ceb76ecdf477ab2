"""Private files reach only the person a view allowed (kepu/downloads.py): streamed from the
local disk, or through a short-lived presigned URL of a private object whose signature fixes
the headers; the object itself refuses anyone without the signature."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.base import ContentFile
from django.test import RequestFactory

from kepu.downloads import private_file_response
from kepu.storage import private_storage
from tests.storage import fetch

pytestmark = pytest.mark.django_db

NAME = "张小明的实验报告.pdf"


class Stored:
    """What a FieldFile offers a download: its storage and its name."""

    def __init__(self, content: bytes, name: str = "reports/report.pdf"):
        self.storage = private_storage()
        self.name = self.storage.save(name, ContentFile(content))


def download(stored, **headers):
    request = RequestFactory().get("/file/", **headers)
    return private_file_response(
        request, stored, content_type="application/pdf", filename=NAME, attachment=True
    )


def delivered(response):
    """The response as the browser ends up with it (following a presigned redirect)."""
    if response.status_code == 302:
        answer = requests.get(response["Location"], timeout=30)
        return answer.status_code, answer.headers, answer.content
    return response.status_code, response.headers, b"".join(response.streaming_content)


def test_the_file_arrives_as_a_named_attachment_of_the_given_type(file_storage):
    stored = Stored(b"%PDF-1.4 report")

    status, headers, content = delivered(download(stored))

    assert status == 200
    assert content == b"%PDF-1.4 report"
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%BC%A0%E5%B0%8F%E6%98%8E%E7%9A%84%E5%AE%9E%E9%AA%8C"
        "%E6%8A%A5%E5%91%8A.pdf"
    )
    assert "no-store" in headers["Cache-Control"]


def test_the_response_django_sends_forbids_sniffing_caching_and_referrers(file_storage):
    response = download(Stored(b"%PDF-1.4"))

    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_missing_file_is_not_found(file_storage):
    from django.http import Http404

    stored = Stored(b"%PDF-1.4")
    stored.storage.delete(stored.name)

    with pytest.raises(Http404):
        download(stored)


def test_a_private_object_refuses_a_request_without_its_signature(s3):
    stored = Stored(b"%PDF-1.4 private")
    signed = download(stored)["Location"]
    parts = urlsplit(signed)
    query = parse_qs(parts.query)

    assert int(query["X-Amz-Expires"][0]) <= 300
    assert requests.get(signed, timeout=30).status_code == 200
    unsigned = f"{parts.scheme}://{parts.netloc}{parts.path}"
    assert requests.get(unsigned, timeout=30).status_code == 403
    assert s3.keys(s3.private) == {stored.name}
    acl = s3.client.get_object_acl(Bucket=s3.private, Key=stored.name)
    assert [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL"]  # the owner alone


def test_private_files_have_no_url_to_hand_out(file_storage):
    stored = Stored(b"%PDF-1.4")

    with pytest.raises(ValueError):
        stored.storage.url(stored.name)


def test_a_private_video_is_served_in_byte_ranges(file_storage):
    stored = Stored(bytes(range(256)) * 40, "videos/clip.mp4")
    request = RequestFactory().get("/file/", HTTP_RANGE="bytes=100-199")
    response = private_file_response(
        request, stored, content_type="video/mp4", filename="1-2.mp4", attachment=False, ranges=True
    )

    if response.status_code == 302:
        answer = requests.get(response["Location"], headers={"Range": "bytes=100-199"}, timeout=30)
        status, headers, content = answer.status_code, answer.headers, answer.content
    else:
        status, headers = response.status_code, response.headers
        content = b"".join(response.streaming_content)
    assert status == 206
    assert headers["Content-Range"] == "bytes 100-199/10240"
    assert headers["Content-Disposition"] == 'inline; filename="1-2.mp4"'
    assert content == (bytes(range(256)) * 40)[100:200]


def test_public_documents_stay_private_objects_while_images_are_public(s3, client):
    from django.core.files.storage import default_storage

    image = default_storage.save("original_images/red.jpg", ContentFile(b"\xff\xd8 jpeg"))
    document = default_storage.save("documents/plan.pdf", ContentFile(b"%PDF-1.4 plan"))

    assert fetch(client, default_storage.url(image)).status_code == 200
    assert fetch(client, default_storage.url(document)).status_code == 403


def test_a_video_link_lasts_while_the_player_seeks_and_a_download_link_minutes(s3, settings):
    video, document = Stored(b"\x00" * 64, "videos/clip.mp4"), Stored(b"%PDF-1.4 private")
    request = RequestFactory().get("/file/")

    played = private_file_response(
        request, video, content_type="video/mp4", filename="1-2.mp4", attachment=False, ranges=True
    )
    downloaded = download(document)

    def expires(response) -> int:
        return int(parse_qs(urlsplit(response["Location"]).query)["X-Amz-Expires"][0])

    assert expires(played) == settings.KEPU_S3_SIGNED_MEDIA_SECONDS == 4 * 3600
    assert expires(downloaded) == settings.KEPU_S3_SIGNED_URL_SECONDS == 300
    answer = requests.get(played["Location"], headers={"Range": "bytes=0-9"}, timeout=30)
    assert answer.status_code == 206
