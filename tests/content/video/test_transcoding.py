import json
import shutil
import struct
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from wagtail.images import get_image_model

from content.video.models import Video
from content.video.transcoding import VideoBusy, request_transcode, scale_filter, transcode
from outbox.models import OutboxMessage
from tests.factories.videos import VideoFactory

pytestmark = [pytest.mark.django_db]

# Debian's, found once: the tests that hide it from the site still check outputs with it.
SYSTEM_FFPROBE = shutil.which("ffprobe") or "ffprobe"


def ffprobe(path: Path) -> dict:
    out = subprocess.run(
        [
            SYSTEM_FFPROBE,
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            path,
        ],
        check=True,
        capture_output=True,
    ).stdout
    return json.loads(out)


def top_level_boxes(path: Path) -> list[str]:
    """The MP4's top-level box types, in file order."""
    boxes = []
    with path.open("rb") as handle:
        while header := handle.read(8):
            size, kind = struct.unpack(">I4s", header)
            if size == 1:
                size = struct.unpack(">Q", handle.read(8))[0]
                handle.seek(size - 16, 1)
            else:
                handle.seek(size - 8, 1)
            boxes.append(kind.decode("latin-1"))
    return boxes


def test_a_landscape_video_becomes_a_720p_h264_aac_mp4_that_starts_fast(clips):
    video = VideoFactory.from_clip(clips["landscape"])

    assert transcode(video.pk) == "ready"

    video.refresh_from_db()
    assert video.status == Video.Status.READY
    assert video.failure_reason == ""
    output = Path(video.mp4.path)
    assert output.is_relative_to(django_settings.MEDIA_ROOT)
    data = ffprobe(output)
    kinds = {s["codec_type"]: s for s in data["streams"]}
    assert kinds["video"]["codec_name"] == "h264"
    assert kinds["video"]["pix_fmt"] == "yuv420p"
    assert kinds["audio"]["codec_name"] == "aac"
    assert "mp4" in data["format"]["format_name"]
    boxes = top_level_boxes(output)
    assert boxes.index("moov") < boxes.index("mdat")
    assert (kinds["video"]["width"], kinds["video"]["height"]) == (1280, 720)
    assert (video.width, video.height) == (1280, 720)
    assert video.duration_seconds == pytest.approx(3, abs=0.2)
    assert video.size_bytes == output.stat().st_size
    assert video.processed_original == video.original.name


def test_a_portrait_phone_video_keeps_its_orientation_with_720_on_the_shorter_side(clips):
    video = VideoFactory.from_clip(clips["portrait"])

    transcode(video.pk)

    video.refresh_from_db()
    assert (video.width, video.height) == (720, 1280)
    assert ffprobe(Path(video.mp4.path))["streams"][0]["height"] == 1280


def test_a_small_video_is_not_enlarged_and_a_silent_one_stays_silent(clips):
    video = VideoFactory.from_clip(clips["small"])

    transcode(video.pk)

    video.refresh_from_db()
    assert (video.width, video.height) == (320, 240)
    assert [s["codec_type"] for s in ffprobe(Path(video.mp4.path))["streams"]] == ["video"]


def test_the_poster_is_a_wagtail_image_of_the_video_frame(clips):
    video = VideoFactory.from_clip(clips["landscape"])

    transcode(video.pk)

    video.refresh_from_db()
    assert video.poster is not None
    assert (video.poster.width, video.poster.height) == (1280, 720)
    assert Path(video.poster.file.path).stat().st_size > 0
    assert video.poster.get_rendition("width-320").width == 320


def test_the_original_stays_in_private_storage_outside_media_root(clips, settings):
    video = VideoFactory.from_clip(clips["small"])

    original = Path(video.original.path)
    assert original.is_relative_to(settings.KEPU_PRIVATE_MEDIA_ROOT)
    assert not original.is_relative_to(settings.MEDIA_ROOT)
    with pytest.raises(ValueError):
        video.original.url  # noqa: B018


def test_a_second_run_for_the_same_original_changes_nothing(clips):
    video = VideoFactory.from_clip(clips["small"])
    transcode(video.pk)
    video.refresh_from_db()
    first = (video.mp4.name, video.poster_id, video.updated_at)

    assert transcode(video.pk) == "skipped"

    video.refresh_from_db()
    assert (video.mp4.name, video.poster_id, video.updated_at) == first


def test_re_processing_replaces_the_outputs_and_the_old_poster(clips):
    video = VideoFactory.from_clip(clips["small"])
    transcode(video.pk)
    video.refresh_from_db()
    old_poster = video.poster_id

    request_transcode(video, force=True)
    assert transcode(video.pk) == "ready"

    video.refresh_from_db()
    assert video.poster_id != old_poster
    assert not get_image_model().objects.filter(pk=old_poster).exists()


def test_a_corrupt_original_fails_with_the_reason_for_editors():
    video = VideoFactory(original=ContentFile(b"\x00\x01garbage" * 100, name="broken.mp4"))

    assert transcode(video.pk) == "failed"

    video.refresh_from_db()
    assert video.status == Video.Status.FAILED
    assert "无法识别" in video.failure_reason
    assert not video.mp4
    assert video.poster is None
    assert video.processing_started_at is None


def test_an_original_that_is_a_playlist_never_makes_ffmpeg_read_another_file(clips, settings):
    # An HLS playlist naming another video on the server's disk, uploaded as a video.
    playlist = (
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n"
        f"#EXTINF:1.0,\n{clips['small']}\n#EXT-X-ENDLIST\n"
    )
    video = VideoFactory(original=ContentFile(playlist.encode(), name="lecture.mp4"))

    assert transcode(video.pk) == "failed"

    video.refresh_from_db()
    assert not video.mp4 and video.poster is None
    assert "无法识别" in video.failure_reason


def test_a_video_over_the_limits_at_transcode_time_fails_with_the_reason(clips, settings):
    video = VideoFactory.from_clip(clips["landscape"])
    settings.KEPU_VIDEO_MAX_SECONDS = 1

    assert transcode(video.pk) == "failed"

    video.refresh_from_db()
    assert "0:01" in video.failure_reason


def test_without_ffmpeg_the_video_stays_pending_with_a_note_to_install_it(clips, settings):
    settings.KEPU_FFMPEG = "/nonexistent/ffmpeg"
    video = VideoFactory.from_clip(clips["small"])

    assert transcode(video.pk) == "pending"

    video.refresh_from_db()
    assert video.status == Video.Status.PENDING
    assert "apt-get install ffmpeg" in video.failure_reason
    assert not video.mp4


def test_with_only_the_wheels_ffmpeg_a_video_is_probed_transcoded_and_given_a_poster(
    clips, only_the_wheels_ffmpeg
):
    video = VideoFactory.from_clip(clips["landscape"])

    assert transcode(video.pk) == "ready"

    video.refresh_from_db()
    data = ffprobe(Path(video.mp4.path))
    kinds = {s["codec_type"]: s for s in data["streams"]}
    assert (kinds["video"]["codec_name"], kinds["video"]["pix_fmt"]) == ("h264", "yuv420p")
    assert (kinds["video"]["width"], kinds["video"]["height"]) == (1280, 720)
    assert kinds["audio"]["codec_name"] == "aac"
    boxes = top_level_boxes(Path(video.mp4.path))
    assert boxes.index("moov") < boxes.index("mdat")
    assert (video.width, video.height) == (1280, 720)
    assert video.duration_seconds == pytest.approx(3, abs=0.2)
    with video.poster.file.open("rb") as handle, Image.open(handle) as poster:
        assert (poster.format, poster.size) == ("JPEG", (1280, 720))


def test_with_only_the_wheels_ffmpeg_a_playlist_original_still_fails_unread(
    clips, only_the_wheels_ffmpeg
):
    playlist = (
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n"
        f"#EXTINF:1.0,\n{clips['small']}\n#EXT-X-ENDLIST\n"
    )
    video = VideoFactory(original=ContentFile(playlist.encode(), name="lecture.mp4"))

    assert transcode(video.pk) == "failed"

    video.refresh_from_db()
    assert not video.mp4 and video.poster is None
    assert "无法识别" in video.failure_reason


def test_a_video_being_processed_elsewhere_is_retried_later():
    video = VideoFactory(status=Video.Status.PROCESSING, processing_started_at=timezone.now())

    with pytest.raises(VideoBusy):
        transcode(video.pk)


def test_a_crashed_run_is_taken_over_once_its_lease_expired(clips):
    video = VideoFactory.from_clip(
        clips["small"],
        status=Video.Status.PROCESSING,
        processing_started_at=timezone.now() - timedelta(hours=3),
    )

    assert transcode(video.pk) == "ready"


def test_request_transcode_records_an_outbox_message_and_marks_pending():
    video = VideoFactory(status=Video.Status.FAILED, failure_reason="旧的原因")

    request_transcode(video)

    video.refresh_from_db()
    assert video.status == Video.Status.PENDING
    assert video.failure_reason == ""
    message = OutboxMessage.objects.get(target="content.transcode_video")
    assert message.args == [video.pk]


def test_a_transcode_queued_through_the_outbox_runs_after_commit(
    clips, django_capture_on_commit_callbacks
):
    video = VideoFactory.from_clip(clips["small"])

    with django_capture_on_commit_callbacks(execute=True):
        request_transcode(video)

    video.refresh_from_db()
    assert video.status == Video.Status.READY
    message = OutboxMessage.objects.get(target="content.transcode_video")
    assert message.completed_at is not None


def test_the_scale_filter_keeps_dimensions_even():
    assert scale_filter(720) == (
        "scale=w='if(gte(iw,ih),-2,trunc(min(720,iw)/2)*2)'"
        ":h='if(gte(iw,ih),trunc(min(720,ih)/2)*2,-2)'"
    )


def test_deleting_a_video_deletes_its_files_and_poster(clips, django_capture_on_commit_callbacks):
    video = VideoFactory.from_clip(clips["small"])
    transcode(video.pk)
    video.refresh_from_db()
    paths = [Path(video.original.path), Path(video.mp4.path)]
    poster_id = video.poster_id

    with django_capture_on_commit_callbacks(execute=True):
        video.delete()

    assert not any(path.exists() for path in paths)
    assert not get_image_model().objects.filter(pk=poster_id).exists()
