"""What the file views serve of an entry file: the stored upload, or (videos) the MP4 and
the poster made by the transcoding pipeline, all in private storage."""

import os

from ..models import EntryFile, EntryKind

ORIGINAL, VIDEO, POSTER = "original", "video", "poster"
URL_NAMES = {
    ORIGINAL: "contests:entry_file",
    VIDEO: "contests:entry_file_video",
    POSTER: "contests:entry_file_poster",
}


def stored_variant(entry_file: EntryFile, variant: str):
    """(stored file, content type, extension, inline) of a variant, or None if missing.
    Nothing of a file that is not accepted is ever served: a pending file's bytes are the
    unchecked upload, a refused one has none."""
    if not entry_file.is_accepted:
        return None
    if variant == ORIGINAL:
        extension = os.path.splitext(entry_file.file.name)[1]
        return (
            entry_file.file,
            entry_file.content_type,
            extension,
            entry_file.kind == EntryKind.IMAGE,
        )
    video = entry_file.video
    if video is None or not video.is_ready:
        return None
    if variant == VIDEO and video.private_mp4:
        return video.private_mp4, "video/mp4", ".mp4", True
    if variant == POSTER and video.private_poster:
        return video.private_poster, "image/jpeg", ".jpg", True
    return None
