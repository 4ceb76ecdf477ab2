"""The addresses of an entry's share link and share card QR code (public address)."""

from django.urls import reverse

from competitions.submissions.models import Entry
from kepu.public_url import public_url


def share_url(entry: Entry, via: str = "link") -> str:
    """The absolute share link of `entry`: opening it counts a share, then shows the
    entry's vote page. `via` tells the card's QR code from a shared link."""
    path = reverse("popularity:share", args=[entry.contest_id, entry.number])
    return public_url(f"{path}?via={via}" if via != "link" else path)
