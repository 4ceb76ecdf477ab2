import hashlib

from django import template
from django.utils.translation import gettext as _

from accounts.masking import mask_name

register = template.Library()


@register.filter
def participant_label(entry) -> str:
    """How a leaderboard shows a participant: a masked display name, never contact data.

    Anonymous participants (and users without a display name) get a stable number.
    """
    user = entry.user
    if user is not None and user.display_name:
        return mask_name(user.display_name)
    number = int(hashlib.sha256(entry.participant_key.encode()).hexdigest()[:8], 16) % 1_000_000
    return _("Participant %(number)06d") % {"number": number}


@register.filter
def option_letter(place: int) -> str:
    """1 → "A", 2 → "B", …: how a place on the screen is named."""
    return chr(ord("A") + int(place) - 1) if 0 < int(place) <= 26 else str(place)
