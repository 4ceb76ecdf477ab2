import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from content.video.probe import format_duration, probe, validate_upload
from tests.factories.videos import SYSTEM_FFMPEG, make_clip, make_tone

pytestmark = [pytest.mark.sqlite]

SYSTEM_FFPROBE = shutil.which("ffprobe")


def upload_of(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="video/mp4")


def refusal(upload) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload)
    return caught.value


def test_probe_reads_size_duration_and_codecs(clips):
    info = probe(clips["landscape"])

    assert (info.width, info.height) == (1920, 1080)
    assert info.duration == pytest.approx(3, abs=0.2)
    assert info.video_codec == "h264"
    assert info.audio_codec == "aac"
    assert info.size_bytes == clips["landscape"].stat().st_size
    assert info.shorter_side == 1080


def test_a_video_within_the_limits_is_accepted(clips):
    assert validate_upload(upload_of(clips["portrait"])).height == 1920


def test_a_text_file_named_mp4_is_refused_in_chinese():
    error = refusal(SimpleUploadedFile("lecture.mp4", "这不是视频，只是文字。\n".encode() * 50))

    assert error.code == "not_video"
    assert "无法识别" in error.messages[0]


def test_a_still_image_is_refused(tmp_path):
    path = tmp_path / "photo.mp4"
    Image.new("RGB", (64, 64), "red").save(path, format="PNG")

    error = refusal(upload_of(path))

    assert error.code == "no_picture"


def test_sound_without_picture_is_refused(tmp_path):
    error = refusal(upload_of(make_tone(tmp_path / "tone.m4a")))

    assert error.code == "no_picture"
    assert "没有动态画面" in error.messages[0]


def test_a_video_over_the_size_limit_is_refused_before_probing(clips, settings):
    settings.KEPU_VIDEO_MAX_UPLOAD_MB = 0

    error = refusal(upload_of(clips["small"]))

    assert error.code == "too_large"
    assert "0 MB" in error.messages[0]


def test_a_video_over_the_length_limit_is_refused(clips, settings):
    settings.KEPU_VIDEO_MAX_SECONDS = 2

    error = refusal(upload_of(clips["landscape"]))

    assert error.code == "too_long"
    assert "0:03" in error.messages[0]
    assert "0:02" in error.messages[0]


def test_a_video_over_the_resolution_limit_is_refused_on_its_shorter_side(clips, settings):
    settings.KEPU_VIDEO_MAX_SOURCE_HEIGHT = 1000

    error = refusal(upload_of(clips["portrait"]))

    assert error.code == "too_high_resolution"
    assert "1080×1920" in error.messages[0]


def test_without_ffmpeg_and_ffprobe_an_upload_is_only_size_checked(clips, settings):
    settings.KEPU_FFMPEG = "/nonexistent/ffmpeg"
    settings.KEPU_FFPROBE = "/nonexistent/ffprobe"

    assert validate_upload(SimpleUploadedFile("x.mp4", b"anything")) is None


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0.4, "0:00"), (59.6, "1:00"), (125, "2:05"), (3723, "1:02:03")]
)
def test_durations_read_like_a_player(seconds, shown):
    assert format_duration(seconds) == shown


def playlist(kind: str, target: Path) -> bytes:
    """A playlist that names another local file; ffmpeg would open it if let."""
    if kind == "hls":
        return (
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n"
            f"#EXTINF:1.0,\n{target}\n#EXT-X-ENDLIST\n"
        ).encode()
    return f"ffconcat version 1.0\nfile '{target.name}'\n".encode()


@pytest.mark.parametrize("kind", ["hls", "ffconcat"])
def test_a_playlist_disguised_as_a_video_cannot_make_ffprobe_read_another_file(tmp_path, kind):
    # Another person's video on the same disk (ffconcat: next to the upload).
    secret = make_clip(tmp_path / "secret.mp4", 320, 240, 1.0)
    disguised = tmp_path / "upload.mp4"
    disguised.write_bytes(playlist(kind, secret))

    with pytest.raises(ValidationError) as caught:
        probe(disguised)

    assert caught.value.code == "not_video"


CONTAINERS = ("clip.mkv", "clip.webm", "clip.avi", "clip.ts", "clip.mov")


def make_container(path: Path) -> Path:
    """A one-second 160×120 clip in the container (and its default codecs) of `path`."""
    subprocess.run(
        [
            SYSTEM_FFMPEG,
            "-nostdin",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x120:rate=10:duration=1",
            "-y",
            str(path),
        ],
        check=True,
    )
    return path


def test_common_containers_are_still_read(tmp_path):
    for name in CONTAINERS:
        path = make_container(tmp_path / name)

        assert (probe(path).width, probe(path).height) == (160, 120), name


# Without ffprobe (the imageio-ffmpeg wheel ships ffmpeg alone) ffmpeg describes the upload.


def test_with_only_the_wheels_ffmpeg_probing_reads_what_ffprobe_reads(
    clips, tmp_path, only_the_wheels_ffmpeg, settings
):
    paths = [*clips.values(), *(make_container(tmp_path / name) for name in CONTAINERS)]
    for path in paths:
        settings.KEPU_FFPROBE = SYSTEM_FFPROBE
        expected = probe(path)
        settings.KEPU_FFPROBE = ""

        found = probe(path)

        assert found.format_name == expected.format_name, path.name
        assert (found.width, found.height) == (expected.width, expected.height), path.name
        assert (found.video_codec, found.audio_codec) == (
            expected.video_codec,
            expected.audio_codec,
        ), path.name
        assert found.duration == pytest.approx(expected.duration, abs=0.02), path.name


def test_with_only_the_wheels_ffmpeg_what_is_not_a_video_is_refused_for_the_same_reasons(
    tmp_path, only_the_wheels_ffmpeg
):
    photo = tmp_path / "photo.mp4"
    Image.new("RGB", (64, 64), "red").save(photo, format="PNG")
    text = SimpleUploadedFile("lecture.mp4", "这不是视频，只是文字。\n".encode() * 50)

    assert refusal(text).code == "not_video"
    assert refusal(upload_of(photo)).code == "no_picture"
    assert refusal(upload_of(make_tone(tmp_path / "tone.m4a"))).code == "no_picture"


@pytest.mark.parametrize("kind", ["hls", "ffconcat"])
def test_with_only_the_wheels_ffmpeg_a_playlist_still_cannot_make_it_read_another_file(
    tmp_path, kind, only_the_wheels_ffmpeg
):
    secret = make_clip(tmp_path / "secret.mp4", 320, 240, 1.0)
    disguised = tmp_path / "upload.mp4"
    disguised.write_bytes(playlist(kind, secret))

    with pytest.raises(ValidationError) as caught:
        probe(disguised)

    assert caught.value.code == "not_video"


def test_with_only_the_wheels_ffmpeg_a_title_cannot_pose_as_the_duration_or_a_stream(
    tmp_path, only_the_wheels_ffmpeg, settings
):
    # A title whose lines read like ffmpeg's own: a 99-hour, 9999×9999 video.
    forged = "x\n  Duration: 99:00:00.00, start: 0\n  Stream #0:5: Video: h264, yuv420p, 9999x9999"
    path = tmp_path / "forged.mp4"
    subprocess.run(
        [
            SYSTEM_FFMPEG,
            *("-nostdin", "-v", "error", "-y"),
            *("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=1"),
            *("-c:v", "libx264", "-preset", "ultrafast", "-metadata", f"title={forged}"),
            str(path),
        ],
        check=True,
    )
    settings.KEPU_VIDEO_MAX_SECONDS = 60
    settings.KEPU_VIDEO_MAX_SOURCE_HEIGHT = 480

    info = validate_upload(upload_of(path))

    assert (info.width, info.height) == (320, 240)
    assert info.duration == pytest.approx(1, abs=0.05)
