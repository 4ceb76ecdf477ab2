"""What is open now (正在进行): the first thing a phone user sees on the home page.

People arrive from a poster or a WeChat link and want to take part: the home page's first
screen lists the quizzes, contests taking entries, public votes (and later book drifts) that
are open at this moment, each with its deadline and one action. Apps contribute through the
`kepu_open_now` hook: a function taking `now` and returning an `OpenNow` (its items and the
next moment at which what it would list changes), so that the anonymous page cache keeps the
home page no longer than that moment.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from wagtail import hooks

HOOK = "kepu_open_now"
MAX_ITEMS = 6


@dataclass(frozen=True)
class OpenItem:
    kind: str  # what it is, shown as a label ("知识竞答", "作品征集", "投票")
    title: str
    url: str
    action: str  # the button ("去答题")
    until: datetime.datetime | None = None


@dataclass
class OpenNow:
    items: list[OpenItem] = field(default_factory=list)
    next_change: datetime.datetime | None = None


def open_now(now: datetime.datetime | None = None) -> OpenNow:
    """Everything every app reports open at `now`, closing soonest first (at most
    `MAX_ITEMS`), and the earliest moment at which any of them changes."""
    now = now or timezone.now()
    merged = OpenNow()
    for contribute in hooks.get_hooks(HOOK):
        part = contribute(now)
        merged.items.extend(part.items)
        if part.next_change and (
            merged.next_change is None or part.next_change < merged.next_change
        ):
            merged.next_change = part.next_change
    far = now + datetime.timedelta(days=3650)
    merged.items.sort(key=lambda item: item.until or far)
    merged.items = merged.items[:MAX_ITEMS]
    return merged


def earliest_after(now: datetime.datetime, moments) -> datetime.datetime | None:
    """The first of `moments` (None allowed) later than `now`."""
    upcoming = [moment for moment in moments if moment and moment > now]
    return min(upcoming) if upcoming else None
