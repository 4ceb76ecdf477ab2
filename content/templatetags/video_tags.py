"""Template helpers for the video player include."""

from django import template

register = template.Library()


@register.filter
def can_edit_video(user) -> bool:
    """Whether `user` may see editor-only details of a video (why processing failed)."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.has_perm("content.change_video")
    )
