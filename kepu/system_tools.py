"""System programs and fonts that some features need, and how to tell editors they are missing.

The embedded mode needs only Python; video transcoding needs ffmpeg, and posters and
certificates need a CJK font. Features check here and the Wagtail dashboard explains what
to install when something is missing.

ffmpeg is found in one place, `ffmpeg_path()`: the configured binary (settings.KEPU_FFMPEG),
else the system's (Debian's ffmpeg on the PATH), else the one inside the imageio-ffmpeg wheel,
a locked dependency, so that a first `./scripts/run` makes and plays the demo videos on a
machine without Debian's ffmpeg. That wheel ships no ffprobe: `ffprobe_path()` is then None
and content/video/probe.py reads the facts from ffmpeg itself (docs/decisions/ffmpeg-fallback.md).
"""

import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Debian's fonts-noto-cjk, then fonts-wqy-zenhei / fonts-wqy-microhei.
CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


@dataclass(frozen=True)
class Tool:
    name: str
    purpose: str
    install_hint: str
    path: str | None

    @property
    def available(self) -> bool:
        return self.path is not None


def ffmpeg_path() -> str | None:
    """The ffmpeg binary, or None.

    settings.KEPU_FFMPEG when set (and then only it: a configured binary that is missing is
    reported, not silently replaced), else `ffmpeg` on the PATH, else the wheel's.
    """
    configured = getattr(settings, "KEPU_FFMPEG", "")
    if configured:
        return shutil.which(configured)
    return shutil.which("ffmpeg") or wheel_ffmpeg_path()


def ffprobe_path() -> str | None:
    """The ffprobe binary (settings.KEPU_FFPROBE, else the PATH), or None: probing then
    uses ffmpeg alone."""
    return shutil.which(getattr(settings, "KEPU_FFPROBE", "") or "ffprobe")


def wheel_ffmpeg_path() -> str | None:
    """The ffmpeg inside the installed imageio-ffmpeg wheel, or None (not installed, or no
    binary for this platform)."""
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    try:
        # The wheel's own binary first (it checks it runs); its IMAGEIO_FFMPEG_EXE override
        # and its last resort, a bare "ffmpeg", are resolved against the PATH like ours.
        return shutil.which(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError:
        return None


def cjk_font_path() -> str | None:
    """A font file with Chinese glyphs, or None.

    settings.KEPU_CJK_FONT when set (and then only it: a configured font that is missing is
    reported, not silently replaced), else the first Debian CJK font installed.
    """
    configured = getattr(settings, "KEPU_CJK_FONT", "")
    candidates = (configured,) if configured else CJK_FONT_CANDIDATES
    return next((c for c in candidates if Path(c).is_file()), None)


def tools() -> list[Tool]:
    return [
        Tool(
            name="ffmpeg",
            purpose=_("Transcoding uploaded videos for phones and taking poster frames"),
            install_hint="sudo apt-get install ffmpeg",
            path=ffmpeg_path(),
        ),
        Tool(
            name=_("Chinese font"),
            purpose=_("Chinese text on QR posters, certificates and share cards"),
            install_hint="sudo apt-get install fonts-noto-cjk",
            path=cjk_font_path(),
        ),
    ]


def missing_tools() -> list[Tool]:
    return [tool for tool in tools() if not tool.available]
