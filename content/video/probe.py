"""What an uploaded video is, according to ffprobe, and whether the site accepts it.

Editors get a clear message in Chinese for anything that is not a video or is beyond the
configured limits (settings.KEPU_VIDEO_*), before anything is stored.

Uploads are hostile input to ffmpeg. Every ffprobe/ffmpeg run that reads one (here and in
transcoding.py) opens it through `input_args`: only the `file` protocol
(`-protocol_whitelist`), so nothing in a file can make ffmpeg fetch a URL or chain
protocols (concat:, subfile:, data: …), and only the demuxers of `SAFE_DEMUXERS`
(`-format_whitelist`), so a playlist (HLS .m3u8, ffconcat) disguised as a video can never
make it open another local file, such as another child's video. And every run is a
bounded child process (kepu/bounded.py: timeout, CPU time, memory).

Without ffprobe (the ffmpeg inside the imageio-ffmpeg wheel comes alone, see
kepu/system_tools.py), ffmpeg itself opens the file, through the same `input_args` and
limits, and the facts are read from the description it prints of its input
(`ffmpeg_description`), into the same shape as ffprobe's JSON.
"""

import json
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from kepu import bounded, system_tools

PROBE_TIMEOUT_SECONDS = 60
PROBE_LIMITS = bounded.Limits(
    seconds=PROBE_TIMEOUT_SECONDS,
    cpu_seconds=PROBE_TIMEOUT_SECONDS,
    memory_bytes=1024 * 1024 * 1024,
    file_bytes=1024 * 1024,  # ffprobe writes nothing
)
# Containers a phone, a camera or an editing program writes, each reading exactly one file.
# Still images and sound-only formats are read too, so that their refusal can say what they
# are ("no moving picture"). Never: hls, concat, image2 (file-name patterns), tty, data.
SAFE_DEMUXERS = (
    "mov",  # MP4, MOV, M4V, 3GP
    "matroska",  # MKV, WebM
    "avi",
    "flv",
    "mpegts",
    "mpeg",
    "asf",  # WMV
    "ogg",
    "mp3",
    "wav",
    "aac",
    "png_pipe",
    "jpeg_pipe",
    "webp_pipe",
    "bmp_pipe",
    "gif",
)
# ffprobe reads still images as one-frame "videos" (image2, png_pipe, jpeg_pipe …) and text
# as ANSI art ("tty"); neither is a video to us.
IMAGE_FORMATS = {"image2", "gif", "apng"}
TEXT_FORMATS = {"tty"}


class ToolMissing(Exception):
    """ffprobe/ffmpeg is not installed (or settings point to a missing binary)."""


@dataclass(frozen=True)
class VideoInfo:
    """The facts about a video file that the site cares about."""

    format_name: str
    duration: float
    width: int
    height: int
    video_codec: str
    audio_codec: str | None
    size_bytes: int

    @property
    def shorter_side(self) -> int:
        return min(self.width, self.height)


def format_duration(seconds: float) -> str:
    """1:02:03 or 2:03, as players show it."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def not_a_video_error() -> ValidationError:
    return ValidationError(
        _(
            "This file is not a video that can be read. Please upload a common video file "
            "such as MP4 or MOV."
        ),
        code="not_video",
    )


def input_args(path: str | os.PathLike) -> list[str]:
    """The arguments with which ffprobe and ffmpeg open an upload: the local file only,
    through the safe demuxers only (see the module docstring)."""
    return [
        "-protocol_whitelist",
        "file",
        "-format_whitelist",
        ",".join(SAFE_DEMUXERS),
        "-i",
        "file:" + os.path.abspath(path),
    ]


def probe(path: str | os.PathLike) -> VideoInfo:
    """Read a file with ffprobe (else ffmpeg) in a bounded child (PROBE_LIMITS), through
    `input_args`. Raises ValidationError if it is not a video (or cannot be read within the
    limits), ToolMissing if neither ffprobe nor ffmpeg is available."""
    ffprobe = system_tools.ffprobe_path()
    data = _describe_with_ffprobe(ffprobe, path) if ffprobe else _describe_with_ffmpeg(path)
    return _video_info(data, size_bytes=Path(path).stat().st_size)


def _describe_with_ffprobe(ffprobe: str, path: str | os.PathLike) -> dict:
    outcome = bounded.run(
        [
            ffprobe,
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            *input_args(path),
        ],
        PROBE_LIMITS,
    )
    if not outcome.ok:
        raise not_a_video_error()
    try:
        return json.loads(outcome.stdout or b"{}")
    except ValueError as exc:
        raise not_a_video_error() from exc


def _describe_with_ffmpeg(path: str | os.PathLike) -> dict:
    ffmpeg = system_tools.ffmpeg_path()
    if ffmpeg is None:
        raise ToolMissing("ffmpeg")
    # With an input and no output ffmpeg describes the input and exits with an error.
    outcome = bounded.run([ffmpeg, "-nostdin", "-hide_banner", *input_args(path)], PROBE_LIMITS)
    if outcome.hit_a_limit:
        raise not_a_video_error()
    return ffmpeg_description(outcome.stderr.decode("utf-8", "replace"))


# The lines of ffmpeg's description of input #0 that matter, each at its fixed indentation
# (metadata values are printed indented further, behind "key : ", so a title cannot pose as
# one of these lines).
_INPUT_LINE = re.compile(r"^Input #0, (?P<format>[\w,]+), from ", re.MULTILINE)
_DURATION_LINE = re.compile(
    r"^  Duration: (?P<h>\d+):(?P<m>\d\d):(?P<s>\d\d(?:\.\d+)?),", re.MULTILINE
)
_STREAM_LINE = re.compile(
    r"^  Stream #0:(?P<index>\d+)\S*: (?P<type>Video|Audio|Subtitle|Data|Attachment): "
    r"(?P<codec>\w+)(?P<rest>.*)$",
    re.MULTILINE,
)
_DIMENSIONS = re.compile(r", (?P<width>\d{1,6})x(?P<height>\d{1,6})[ ,]")


def ffmpeg_description(text: str) -> dict:
    """What ffmpeg printed about input #0, as much of ffprobe's JSON as `_video_info` reads:
    {"format": {"format_name", "duration"}, "streams": [{"codec_type", "codec_name",
    "width", "height", "disposition": {"attached_pic"}}]}. Empty when ffmpeg could not open
    the input."""
    opened = _INPUT_LINE.search(text)
    if opened is None:
        return {}
    fmt = {"format_name": opened["format"]}
    duration = _DURATION_LINE.search(text)
    if duration is not None:
        fmt["duration"] = int(duration["h"]) * 3600 + int(duration["m"]) * 60 + float(duration["s"])
    streams = []
    for line in _STREAM_LINE.finditer(text):
        stream = {"codec_type": line["type"].lower(), "codec_name": line["codec"]}
        if stream["codec_type"] == "video":
            size = _DIMENSIONS.search(line["rest"])
            if size is not None:
                stream["width"], stream["height"] = int(size["width"]), int(size["height"])
            stream["disposition"] = {"attached_pic": int("(attached pic)" in line["rest"])}
        streams.append(stream)
    return {"format": fmt, "streams": streams}


def _video_info(data: dict, size_bytes: int) -> VideoInfo:
    fmt = data.get("format") or {}
    streams = data.get("streams") or []
    format_name = fmt.get("format_name", "")
    if not streams or not format_name or format_name in TEXT_FORMATS:
        raise not_a_video_error()
    still_image = format_name in IMAGE_FORMATS or format_name.endswith("_pipe")
    pictures = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    duration = _float(fmt.get("duration")) or max(
        (_float(s.get("duration")) for s in pictures), default=0.0
    )
    if not pictures or still_image or duration <= 0:
        if audio or still_image or pictures:
            raise ValidationError(
                _("This file has no moving picture: it holds only sound or a still image."),
                code="no_picture",
            )
        raise not_a_video_error()
    picture = pictures[0]
    width, height = int(picture.get("width") or 0), int(picture.get("height") or 0)
    if width <= 0 or height <= 0:
        raise not_a_video_error()
    return VideoInfo(
        format_name=format_name,
        duration=duration,
        width=width,
        height=height,
        video_codec=picture.get("codec_name", ""),
        audio_codec=audio[0].get("codec_name") if audio else None,
        size_bytes=size_bytes,
    )


def _float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def check_size(size_bytes: int) -> None:
    """Refuse files over settings.KEPU_VIDEO_MAX_UPLOAD_MB (checked before probing)."""
    limit_mb = settings.KEPU_VIDEO_MAX_UPLOAD_MB
    if size_bytes > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("The video is %(size)s; the largest allowed is %(limit)s MB."),
            code="too_large",
            params={"size": filesizeformat(size_bytes), "limit": limit_mb},
        )


def check_limits(info: VideoInfo) -> None:
    """Refuse videos beyond the configured size, length and resolution."""
    check_size(info.size_bytes)
    limit_seconds = settings.KEPU_VIDEO_MAX_SECONDS
    if info.duration > limit_seconds:
        raise ValidationError(
            _("The video lasts %(duration)s; the longest allowed is %(limit)s."),
            code="too_long",
            params={
                "duration": format_duration(info.duration),
                "limit": format_duration(limit_seconds),
            },
        )
    limit_side = settings.KEPU_VIDEO_MAX_SOURCE_HEIGHT
    if info.shorter_side > limit_side:
        raise ValidationError(
            _(
                "The video is %(width)s×%(height)s; its shorter side may be at most "
                "%(limit)s pixels."
            ),
            code="too_high_resolution",
            params={"width": info.width, "height": info.height, "limit": limit_side},
        )


@contextmanager
def local_path(uploaded):
    """A filesystem path for an uploaded file (Django keeps large ones in a temp file)."""
    temporary_path = getattr(uploaded, "temporary_file_path", None)
    if temporary_path is not None:
        yield temporary_path()
        return
    suffix = Path(getattr(uploaded, "name", "") or "").suffix[:10]
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        uploaded.seek(0)
        for chunk in uploaded.chunks():
            handle.write(chunk)
        handle.flush()
        uploaded.seek(0)
        yield handle.name


def validate_upload(uploaded) -> VideoInfo | None:
    """Check an uploaded file before it is stored. Raises ValidationError with the reason.

    Returns the probe, or None when ffprobe is not installed: the upload is then accepted
    after the size check and stays pending, with a note to install ffmpeg, until a
    transcode can probe it (see transcoding.transcode).
    """
    check_size(uploaded.size)
    try:
        with local_path(uploaded) as path:
            info = probe(path)
    except ToolMissing:
        return None
    check_limits(info)
    return info
