import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from content.video.models import SUBTITLES_MAX_BYTES, Video, validate_webvtt
from tests.factories.videos import VideoFactory

VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n水在 0 摄氏度结冰。\n"


def vtt(content: bytes, name="zh.vtt"):
    return SimpleUploadedFile(name, content, content_type="text/vtt")


@pytest.mark.parametrize(
    "content",
    [VTT.encode(), b"\xef\xbb\xbf" + VTT.encode(), VTT.replace("WEBVTT", "WEBVTT - 科普").encode()],
)
def test_webvtt_subtitles_are_accepted(content):
    validate_webvtt(vtt(content))


def test_srt_subtitles_are_refused():
    with pytest.raises(ValidationError) as caught:
        validate_webvtt(vtt("1\n00:00:00,000 --> 00:00:02,000\n你好\n".encode()))
    assert caught.value.code == "subtitles_not_webvtt"


def test_subtitles_not_in_utf8_are_refused():
    with pytest.raises(ValidationError) as caught:
        validate_webvtt(vtt(VTT.encode("gbk")))
    assert caught.value.code == "subtitles_encoding"


def test_subtitles_over_the_size_limit_are_refused():
    with pytest.raises(ValidationError) as caught:
        validate_webvtt(vtt(VTT.encode() + b"a" * SUBTITLES_MAX_BYTES))
    assert caught.value.code == "subtitles_too_large"


@pytest.mark.django_db
@pytest.mark.sqlite
def test_the_database_refuses_a_ready_video_without_its_mp4():
    video = VideoFactory()
    with pytest.raises(IntegrityError):
        Video.objects.filter(pk=video.pk).update(status=Video.Status.READY)


@pytest.mark.django_db
@pytest.mark.sqlite
def test_the_database_refuses_a_failed_video_without_a_reason():
    video = VideoFactory()
    with pytest.raises(IntegrityError):
        Video.objects.filter(pk=video.pk).update(status=Video.Status.FAILED)
