"""Real video clips made with ffmpeg's test sources, and Video rows around them."""

import shutil
import subprocess
from pathlib import Path

import factory
from django.core.files.base import ContentFile

from content.video.models import Video

# Debian's ffmpeg, found once: clips stand for what people upload, so tests that hide it from
# the site (the `only_the_wheels_ffmpeg` fixture) still make them with it.
SYSTEM_FFMPEG = shutil.which("ffmpeg") or "ffmpeg"


def make_clip(path: Path, width: int, height: int, seconds: float, audio: bool = True) -> Path:
    """An H.264 (and AAC) clip of ffmpeg's colour-bar test pattern and a sine tone.

    Muxed without faststart, as cameras and phones often do.
    """
    args = [SYSTEM_FFMPEG, "-nostdin", "-loglevel", "error", "-y"]
    args += ["-f", "lavfi", "-i", f"testsrc=size={width}x{height}:rate=25:duration={seconds}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
        args += ["-c:a", "aac"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path)]
    subprocess.run(args, check=True, capture_output=True)
    return path


def make_tone(path: Path, seconds: float = 1) -> Path:
    """Sound only, no picture."""
    subprocess.run(
        [
            SYSTEM_FFMPEG,
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={seconds}",
            "-c:a",
            "aac",
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    return path


class VideoFactory(factory.django.DjangoModelFactory):
    """A video whose original is stored but not processed yet (no probe, no transcode)."""

    title = factory.Sequence(lambda n: f"科普视频 {n}")
    original = factory.LazyFunction(lambda: ContentFile(b"not checked", name="upload.mp4"))

    class Meta:
        model = Video

    @classmethod
    def from_clip(cls, clip: Path, **kwargs) -> Video:
        return cls(original=ContentFile(clip.read_bytes(), name=clip.name), **kwargs)
