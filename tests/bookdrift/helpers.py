"""Shortcuts for the book drift tests: readers, catches and releases with fresh tokens."""

import uuid

from competitions.bookdrift import journeys


def reader(user) -> journeys.Reader:
    return journeys.Reader(user=user)


def anonymous(nickname: str = "书虫", anonymous_id: str | None = None) -> journeys.Reader:
    return journeys.Reader(anonymous_id=anonymous_id or uuid.uuid4().hex, nickname=nickname)


def catch(copy, who, **kwargs):
    who = who if isinstance(who, journeys.Reader) else reader(who)
    kwargs.setdefault("token", uuid.uuid4())
    if who.is_anonymous:
        kwargs.setdefault("place", journeys.Place(text="社区图书角"))
    return journeys.catch(copy, who, **kwargs)


def release(copy, who, **kwargs):
    who = who if isinstance(who, journeys.Reader) else reader(who)
    kwargs.setdefault("token", uuid.uuid4())
    return journeys.release(copy, who, **kwargs)
