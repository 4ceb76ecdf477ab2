"""Moments as organisers read them: "2026-12-31 18:00（3 天后）", in dashboard panels and in
the admin listings' schedule columns."""

import datetime

from django.utils import timezone
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import npgettext_lazy
from wagtail.admin.ui.tables import Column

# Durations as Chinese readers say them ("3 个月", not Django's "3 月", which reads as March).
DURATIONS = {
    "year": npgettext_lazy("duration", "%(num)d year", "%(num)d years", "num"),
    "month": npgettext_lazy("duration", "%(num)d month", "%(num)d months", "num"),
    "week": npgettext_lazy("duration", "%(num)d week", "%(num)d weeks", "num"),
    "day": npgettext_lazy("duration", "%(num)d day", "%(num)d days", "num"),
    "hour": npgettext_lazy("duration", "%(num)d hour", "%(num)d hours", "num"),
    "minute": npgettext_lazy("duration", "%(num)d minute", "%(num)d minutes", "num"),
}


def describe_moment(moment: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """ "2026-12-31 18:00（3 天后）" or "2026-11-02 09:00（2 小时前）": the local time and how far
    away it is, either way. Wagtail's own date cells say "just now" for every future date."""
    now = now or timezone.now()
    text = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    if abs(moment - now) < datetime.timedelta(minutes=1):
        return _("%(date)s (now)") % {"date": text}
    if moment > now:
        away = timeuntil(moment, now, time_strings=DURATIONS, depth=1)
        return _("%(date)s (in %(time)s)") % {"date": text, "time": away}
    ago = timesince(moment, now, time_strings=DURATIONS, depth=1)
    return _("%(date)s (%(time)s ago)") % {"date": text, "time": ago}


class MomentColumn(Column):
    """A listing column for moments in the past or the future (quiz and contest schedules)."""

    def get_value(self, instance):
        moment = super().get_value(instance)
        return describe_moment(moment) if moment else ""
