"""Who a participant is, in exports: masked for everyone, in full for those who may see it.

DESIGN.md rule 8: staff see personal data masked by default; an export with full names and
contacts needs a personal-data permission (quizzes.export_personal_data,
submissions.export_personal_data) and is recorded with who asked for it and when.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from accounts.masking import mask_email, mask_name, mask_phone


def identity(user, unmasked: bool) -> tuple[str, str, str]:
    """Name, phone and e-mail of a participant: masked (张**, 138****5678, z***@example.org)
    unless `unmasked`. The name is the profile's real name, else the display name;
    anonymous participants are "匿名"."""
    if user is None:
        return _("Anonymous"), "", ""
    try:
        real_name = user.profile.real_name
    except ObjectDoesNotExist:
        real_name = ""
    name = real_name or user.display_name
    if unmasked:
        return name, user.phone or "", user.email or ""
    return mask_name(name), mask_phone(user.phone), mask_email(user.email)
