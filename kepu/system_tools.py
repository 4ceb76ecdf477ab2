"""System programs and fonts that some features need, and how to tell editors they are missing.

The embedded mode needs only Python; video transcoding needs ffmpeg, and posters and
certificates need a CJK font. Features check here and the Wagtail dashboard explains what
to install when something is missing.
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
    """The ffmpeg binary (settings.KEPU_FFMPEG, else the PATH), or None."""
    return shutil.which(getattr(settings, "KEPU_FFMPEG", "") or "ffmpeg")


def ffprobe_path() -> str | None:
    return shutil.which(getattr(settings, "KEPU_FFPROBE", "") or "ffprobe")


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
            path=ffmpeg_path() and ffprobe_path(),
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
