"""Who may fetch an entry file: its author, staff with the permission, whoever a rule that
another app registered admits (judging: an assigned judge), and anyone for the public
variants of a publicly displayable entry (display.py)."""

from ..models import EntryFile, EntryKind
from .variants import ORIGINAL

_file_access_rules = []


def register_file_access(rule):
    """Lets another app grant access to entry files: `rule(user, entry_file) -> bool`.

    Judging registers "the judge is assigned this entry"; submissions cannot import judging
    (imports flow one way), so the rule comes to it.
    """
    _file_access_rules.append(rule)
    return rule


def can_view_file(user, entry_file: EntryFile, variant: str = ORIGINAL) -> bool:
    """Whether `user` may download this variant of `entry_file`: its author, staff with the
    permission, or someone a registered rule admits (an assigned judge). A video's original
    upload (it may carry GPS positions and the camera owner's name) only for the first two:
    judges get the transcoded video and its poster, which carry no metadata."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if entry_file.entry.author_id == user.pk:
        return True
    if user.is_staff and user.has_perm("submissions.view_entryfile"):
        return True
    if variant == ORIGINAL and entry_file.kind == EntryKind.VIDEO:
        return False
    return any(rule(user, entry_file) for rule in _file_access_rules)


def is_public_file(entry_file: EntryFile, variant: str = ORIGINAL) -> bool:
    """Whether anyone may fetch this variant of `entry_file`: only re-encoded images and
    the transcoded video and its poster (never a video original, which may carry GPS
    positions, nor documents), and only while the entry is publicly displayable
    (display.py: the author's and, under 14, the guardian's agreement)."""
    if variant == ORIGINAL:
        if entry_file.kind != EntryKind.IMAGE:
            return False
    elif entry_file.video_id is None:
        return False
    return entry_file.entry.is_publicly_displayable()


def may_fetch(user, entry_file: EntryFile, variant: str = ORIGINAL) -> bool:
    """The file view's rule: `can_view_file` or, for anyone, `is_public_file`."""
    return can_view_file(user, entry_file, variant) or is_public_file(entry_file, variant)
