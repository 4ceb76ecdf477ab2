"""Telling the authors of awarded entries, by text message and e-mail (notifications/)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from kepu.public_url import public_url
from notifications.services import Message, notify, outcome

from ..models import AwardCertificate, Contest, EntryAward
from .awards import results_visible

KIND = "award_won"


def _published(contest: Contest):
    return EntryAward.objects.filter(contest=contest, published=True)


def notify_award_winners(contest: Contest) -> int:
    """Records a notification for the author of each published award, with the link to
    their certificate; sent after the commit. Only once the results are public (before,
    the link would lead nowhere): returns 0 then.

    Idempotent per award: an author told about an award is not told again; an award that
    republishing replaced (another level) is news and is told.
    """
    if not results_visible(contest):
        return 0
    awards = _published(contest).select_related("entry__author", "level")
    certificates = dict(
        AwardCertificate.objects.filter(
            award__in=awards, holder=AwardCertificate.Holder.STUDENT
        ).values_list("award_id", "code")
    )
    messages = []
    for award in awards:
        code = certificates.get(award.pk)
        target = (
            reverse("contests:award_certificate_verify", args=[code])
            if code
            else reverse("contests:results", args=[contest.pk])
        )
        params = {
            "contest": contest.title,
            "award": award.name,
            "number": award.entry.display_number,
            "link": public_url(target),
        }
        text = _(
            "[%(site)s] Your work “%(title)s” (no. %(number)s) won %(award)s in “%(contest)s”. "
            "Your certificate: %(link)s"
        ) % {"site": settings.WAGTAIL_SITE_NAME, "title": award.entry.title, **params}
        messages.append(
            Message(
                user=award.entry.author,
                kind=KIND,
                key=f"award:{award.pk}",
                subject=_("Your work won %(award)s") % params,
                text=text,
                params=params,
            )
        )
    return notify(messages)


def notification_outcome(contest: Contest) -> dict[str, int]:
    """Counts per status of the notifications about this contest's published awards."""
    keys = [f"award:{pk}" for pk in _published(contest).values_list("pk", flat=True)]
    return outcome(KIND, keys)
