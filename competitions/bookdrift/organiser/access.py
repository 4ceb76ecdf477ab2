"""Who may use the organisers' desk pages: explained 403s, as the other desks answer."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from kepu.forbidden import explained_403

MANAGE = "bookdrift.change_driftcampaign"
COPIES = "bookdrift.change_bookcopy"
MODERATE = "bookdrift.change_journeystep"

only_organisers = explained_403(
    gettext_lazy("Only people who may manage book drifts can see this page.")
)


def require(user, permission: str) -> None:
    """Raises PermissionDenied unless `user` is active and has `permission`."""
    if not (user.is_authenticated and user.is_active and user.has_perm(permission)):
        raise PermissionDenied
