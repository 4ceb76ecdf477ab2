"""Video processing services: queue a transcode, and transcode an uploaded video for phones.

The output is an H.264/AAC MP4 (`+faststart`, so playback starts before the download ends)
whose shorter side is at most settings.KEPU_VIDEO_MAX_HEIGHT, plus a poster frame. ffmpeg
runs in a temporary directory; the video row changes only at the start (processing) and at
the end (ready with every output, or failed with the reason), never half-way.

ffmpeg reads uploads only through `probe.input_args` (the local file, safe demuxers:
no playlist can make it open another file) and runs as a bounded child process
(kepu/bounded.py, `TRANSCODE_LIMITS`). Its decoder and encoder use at most
`FFMPEG_THREADS` threads, which keeps its memory predictable on machines with many cores:
about 850 MB of address space for a 1080p source on two threads, against a bound of 4 GiB.

Output storage: by default the MP4 goes to public media and the poster becomes a Wagtail
image (pages play it). A video created with `private_outputs=True` (contest entries:
children's videos) gets both in private storage instead (`private_mp4`, `private_poster`),
never under MEDIA_ROOT; its owner serves them through a permission-checked view.
"""

import logging
import os
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from kepu import bounded, system_tools
from kepu.storage import copy_to_local
from outbox import services as outbox

from ..cache import invalidate
from .models import Video
from .probe import ToolMissing, VideoInfo, check_limits, input_args, probe

logger = logging.getLogger(__name__)

TRANSCODE_TARGET = "content.transcode_video"
# ffmpeg gets this long per run; a run older than the lease is presumed crashed.
TRANSCODE_TIMEOUT_SECONDS = 3600
PROCESSING_LEASE = timedelta(seconds=TRANSCODE_TIMEOUT_SECONDS + 600)
# x264 "veryfast" keeps a 2-core worker near real time at 720p; CRF 23 is x264's default
# quality, fine on a phone screen.
X264_PRESET = "veryfast"
X264_CRF = "23"
AUDIO_BITRATE = "128k"
MAX_FPS = "30"
POSTER_MAX_SECONDS = 3.0
FFMPEG_THREADS = str(min(os.cpu_count() or 1, 8))
TRANSCODE_LIMITS = bounded.Limits(
    seconds=TRANSCODE_TIMEOUT_SECONDS,
    memory_bytes=4 * 1024 * 1024 * 1024,
    file_bytes=4 * 1024 * 1024 * 1024,
)


class TranscodeFailed(Exception):
    """A transcode that cannot succeed as things stand; the message is for editors."""


class VideoBusy(Exception):
    """Another worker is transcoding this video right now; try again later."""


def ffmpeg_missing_reason() -> str:
    return _(
        "ffmpeg is not installed on the server, so the video cannot be processed yet. "
        "Ask the administrator to run “sudo apt-get install ffmpeg”, then re-process "
        "this video."
    )


def request_transcode(video: Video, *, force: bool = False) -> None:
    """Mark `video` pending and queue its transcode through the outbox (after commit).

    With `force`, the transcode runs even if the outputs match the current original
    (the editor's "re-process").
    """
    fields = {"status": Video.Status.PENDING, "failure_reason": ""}
    if force:
        fields["processed_original"] = ""
    with transaction.atomic():
        Video.objects.filter(pk=video.pk).update(**fields, updated_at=timezone.now())
        outbox.enqueue(TRANSCODE_TARGET, video.pk)
    for name, value in fields.items():
        setattr(video, name, value)


def transcode(video_id: int) -> str:
    """Transcode one video; returns its resulting status (or "skipped"/"missing").

    Idempotent: a video that is ready for its current original is left alone. Never leaves
    a half state and never raises for a bad video: failures are recorded with a reason for
    the editor. A missing ffmpeg leaves the video pending with a note to install it.
    Raises VideoBusy only while another live run holds the video, so the outbox retries.
    """
    with transaction.atomic():
        video = Video.objects.select_for_update().filter(pk=video_id).first()
        if video is None or not video.original:
            return "missing"
        if video.is_ready and video.processed_original == video.original.name:
            return "skipped"
        now = timezone.now()
        if (
            video.status == Video.Status.PROCESSING
            and video.processing_started_at
            and now - video.processing_started_at < PROCESSING_LEASE
        ):
            raise VideoBusy(video_id)
        if system_tools.ffmpeg_path() is None:
            _update(video, status=Video.Status.PENDING, failure_reason=ffmpeg_missing_reason())
            return video.status
        _update(
            video,
            status=Video.Status.PROCESSING,
            failure_reason="",
            processing_started_at=now,
        )
    original_name = video.original.name
    started_at = video.processing_started_at
    workdir = Path(tempfile.mkdtemp(prefix="kepu-video-"))
    try:
        result = _run(video, workdir)
        return _finish(video_id, original_name, started_at, result)
    except (TranscodeFailed, ValidationError) as exc:
        reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return _fail(video_id, started_at, reason)
    except Exception:
        logger.exception("video transcode failed", extra={"video_id": video_id})
        return _fail(
            video_id,
            started_at,
            _("An unexpected error stopped the processing. Re-process the video to retry."),
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _update(video: Video, **fields) -> None:
    for name, value in fields.items():
        setattr(video, name, value)
    video.save(update_fields=[*fields, "updated_at"])


def _run(video: Video, workdir: Path) -> dict:
    """Copy the original here, check it, transcode it, take a poster. Returns the outputs."""
    source = workdir / ("source" + Path(video.original.name).suffix[:10])
    copy_to_local(video.original.storage, video.original.name, source)
    try:
        info = probe(source)
    except ToolMissing as exc:
        raise TranscodeFailed(ffmpeg_missing_reason()) from exc
    check_limits(info)
    output = workdir / "video.mp4"
    _ffmpeg(_transcode_args(source, output, info))
    try:
        result = probe(output)
    except ValidationError as exc:
        raise TranscodeFailed(_("ffmpeg produced no playable video.")) from exc
    poster = workdir / "poster.jpg"
    at = min(result.duration * 0.1, POSTER_MAX_SECONDS)
    _ffmpeg(["-ss", f"{at:.3f}", *input_args(output), "-frames:v", "1", "-q:v", "3", str(poster)])
    if not poster.is_file() or poster.stat().st_size == 0:
        raise TranscodeFailed(_("No poster frame could be taken from the video."))
    return {"output": output, "poster": poster, "info": result}


def scale_filter(max_side: int) -> str:
    """Shrink (never enlarge) so the shorter side is at most `max_side`, keeping the aspect
    ratio, with even dimensions as H.264 requires."""
    short = f"trunc(min({max_side},%s)/2)*2"
    width = f"if(gte(iw,ih),-2,{short % 'iw'})"
    height = f"if(gte(iw,ih),{short % 'ih'},-2)"
    return f"scale=w='{width}':h='{height}'"


def _transcode_args(source: Path, output: Path, info: VideoInfo) -> list[str]:
    args = [
        "-threads",
        FFMPEG_THREADS,
        *input_args(source),
        "-threads",
        FFMPEG_THREADS,
        "-map",
        "0:v:0",
        "-map",
        "0:a:0?",
        "-map_metadata",
        "-1",  # phone videos carry GPS positions
        "-sn",
        "-dn",
        "-vf",
        scale_filter(settings.KEPU_VIDEO_MAX_HEIGHT),
        "-fpsmax",
        MAX_FPS,
        "-c:v",
        "libx264",
        "-preset",
        X264_PRESET,
        "-crf",
        X264_CRF,
        "-profile:v",
        "high",
        "-pix_fmt",
        "yuv420p",
    ]
    if info.audio_codec:
        args += ["-c:a", "aac", "-b:a", AUDIO_BITRATE, "-ac", "2"]
    args += ["-movflags", "+faststart", "-f", "mp4", str(output)]
    return args


def _ffmpeg(args: list[str]) -> None:
    ffmpeg = system_tools.ffmpeg_path()
    if ffmpeg is None:
        raise TranscodeFailed(ffmpeg_missing_reason())
    outcome = bounded.run(
        [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args], TRANSCODE_LIMITS
    )
    if outcome.status == "timeout":
        raise TranscodeFailed(
            _("Processing took longer than %(minutes)s minutes and was stopped.")
            % {"minutes": TRANSCODE_TIMEOUT_SECONDS // 60}
        )
    if not outcome.ok:
        detail = outcome.stderr.decode("utf-8", "replace").strip().splitlines()
        raise TranscodeFailed(
            _("ffmpeg could not convert the video: %(detail)s")
            % {"detail": (detail[-1] if detail else outcome.returncode)}
        )


def _finish(video_id: int, original_name: str, started_at, result: dict) -> str:
    """Store the outputs and mark the video ready, unless the run was superseded."""
    info: VideoInfo = result["info"]
    image_model = get_image_model()
    with transaction.atomic():
        video = Video.objects.select_for_update().filter(pk=video_id).first()
        if (
            video is None
            or video.original.name != original_name
            or video.processing_started_at != started_at
        ):
            # A new upload or a re-process took over; its own run will store its outputs.
            return "superseded"
        old_files = [
            (field.storage, field.name)
            for field in (video.mp4, video.private_mp4, video.private_poster)
            if field
        ]
        old_poster = video.poster
        if video.private_outputs:
            _store_private(video, result)
        else:
            with result["output"].open("rb") as handle:
                video.mp4.save(f"video-{video.pk}.mp4", File(handle), save=False)
            with result["poster"].open("rb") as handle:
                poster = image_model(
                    title=(_("Poster: %(title)s") % {"title": video.title})[:255],
                    file=ImageFile(handle, name=f"video-{video.pk}-poster.jpg"),
                )
                poster.save()
            video.poster = poster
        video.duration_seconds = round(info.duration, 3)
        video.width = info.width
        video.height = info.height
        video.size_bytes = result["output"].stat().st_size
        video.status = Video.Status.READY
        video.failure_reason = ""
        video.processed_original = original_name
        video.processing_started_at = None
        video.save()
        current = {video.mp4.name, video.private_mp4.name, video.private_poster.name}
        stale = [(storage, name) for storage, name in old_files if name not in current]
        if stale:
            transaction.on_commit(lambda: [storage.delete(name) for storage, name in stale])
        if old_poster is not None and old_poster.pk != video.poster_id:
            old_poster.delete()
    return video.status


def _store_private(video: Video, result: dict) -> None:
    """The outputs of a private-output video: both files in private storage, no public
    copy and no Wagtail image (whose files would be public media)."""
    with result["output"].open("rb") as handle:
        video.private_mp4.save(f"video-{video.pk}.mp4", File(handle), save=False)
    with result["poster"].open("rb") as handle:
        video.private_poster.save(f"video-{video.pk}-poster.jpg", File(handle), save=False)
    video.mp4 = ""
    video.poster = None


def _fail(video_id: int, started_at, reason: str) -> str:
    updated = Video.objects.filter(pk=video_id, processing_started_at=started_at).update(
        status=Video.Status.FAILED,
        failure_reason=reason[:2000] or _("Processing failed."),
        processing_started_at=None,
        updated_at=timezone.now(),
    )
    if updated:
        invalidate()  # pages showing "processing" now show "cannot be played"
    return Video.Status.FAILED if updated else "superseded"
