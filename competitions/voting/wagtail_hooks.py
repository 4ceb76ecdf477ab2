"""Public voting administration in Wagtail: fraud monitoring and voiding (fraud_admin.py)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import fraud_admin  # noqa: F401


@hooks.register("kepu_my_sections")
def my_votes(request):
    """The 我的 page's votes: the latest votes cast, for which work and when."""
    from accounts.my_page import ITEMS

    from .models import Vote

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
