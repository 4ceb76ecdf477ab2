"""Public voting administration in Wagtail: fraud monitoring and voiding, shortlists
(viewsets.py); the 我的 page's votes."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from accounts.my_page import ITEMS

from . import viewsets  # noqa: F401
from .models import Vote


@hooks.register("kepu_my_sections")
def my_votes(request):
    """The 我的 page's votes: the latest votes cast, for which work and when."""
    votes = list(
        Vote.objects.filter(voter=request.user)
        .select_related("entry", "contest")
        .order_by("-created_at")[:ITEMS]
    )
    if not votes:
        return None
    return {
        "template": "voting/includes/my_votes.html",
        "anchor": "my-votes",
        "label": _("My votes"),
        "votes": votes,
        "order": 30,
    }
