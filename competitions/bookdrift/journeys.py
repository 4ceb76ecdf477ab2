"""Catching and releasing copies (接漂 / 放漂) and the organisers' steps.

Every function either writes one journey step and moves the copy's current end with it, in
one transaction, or raises JourneyError with a message for the reader and changes nothing.

Integrity holds in the database (models/journeys.py): one step per position in a copy's
journey, one step per client token, no catch by the reader who caught the copy last. The
copy row is locked while a step is written (PostgreSQL), so steps follow one another; where
locks are not available (SQLite serialises writers) a lost race on the position is retried.
A repeated scan or a double tap with the same token returns the first step (`created`
False); a second catch by the same reader with a new token is refused with a friendly
message, and two readers catching at the same moment are written one after the other.
"""

import datetime
import uuid
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.core.text_checks import clean_public_text
from kepu.http import ip_hash
from kepu.refusals import Refusal
from outbox.services import enqueue

from . import page_cache, privacy
from .models import BookCopy, JourneyStep, SchoolClass, Station

NOTE_MAX = 200
PLACE_MAX = 40
NICKNAME_MAX = 20
# Attempts at a free position when another step took it first (SQLite, no row locks).
_ATTEMPTS = 5
NOTIFY_TARGET = "bookdrift.notify_previous_readers"


class JourneyError(Refusal):
    """A step that cannot be written; `message` is for the reader, nothing was changed."""


@dataclass(frozen=True)
class Reader:
    """Who writes a step: a signed-in user, or an anonymous reader (a random id kept in a
    signed cookie) with the nickname they gave."""

    user: object | None = None
    anonymous_id: str = ""
    nickname: str = ""

    @property
    def key(self) -> str:
        if self.user is not None:
            return f"u:{self.user.pk}"
        return f"a:{self.anonymous_id}"

    @property
    def is_anonymous(self) -> bool:
        return self.user is None


@dataclass(frozen=True)
class StepResult:
    step: JourneyStep
    created: bool  # False: this token's step already existed (a replay)


@dataclass(frozen=True)
class Place:
    """Where a step happened, as the reader gave it."""

    school_id: int | None = None
    class_id: int | None = None
    text: str = ""


def _clean(text: str, limit: int, field: str) -> str:
    try:
        return clean_public_text(text, limit)
    except ValidationError as error:
        raise JourneyError(error.messages[0], code=field) from error


def _check_place(copy: BookCopy, place: Place) -> tuple[int | None, int | None]:
    """(school id, class id) of `place`, if they take part in the copy's campaign."""
    campaign = copy.campaign
    school_id, class_id = place.school_id, place.class_id
    if class_id:
        school_class = SchoolClass.objects.filter(pk=class_id, campaigns=campaign).first()
        if school_class is None:
            raise JourneyError(_("Choose your class from the list."), code="school_class")
        school_id = school_class.school_id
    elif school_id and not campaign.schools.filter(pk=school_id).exists():
        raise JourneyError(_("Choose your school from the list."), code="school")
    return school_id, class_id


def _check_open(copy: BookCopy, today: datetime.date) -> None:
    campaign = copy.campaign
    if today < campaign.starts_on:
        raise JourneyError(
            _("This drift starts on %(date)s. Please come back then.")
            % {"date": campaign.starts_on.isoformat()},
            code="not_started",
        )
    if today > campaign.ends_on:
        raise JourneyError(
            _("This drift ended on %(date)s. Please return the book to its school or station.")
            % {"date": campaign.ends_on.isoformat()},
            code="ended",
        )
    if copy.approval != BookCopy.Approval.APPROVED:
        raise JourneyError(
            _("This donated book has not been approved by the organisers yet."), code="pending"
        )
    if copy.state == BookCopy.State.WITHDRAWN:
        raise JourneyError(
            _("This copy has been withdrawn from the drift. Please hand it to the organisers."),
            code="withdrawn",
        )


def _replay(token: uuid.UUID | None, copy: BookCopy, reader_key: str) -> StepResult | None:
    if token is None:
        return None
    step = JourneyStep.objects.filter(client_token=token).first()
    if step is None:
        return None
    if step.copy_id != copy.pk or step.reader_key != reader_key:
        raise JourneyError(_("This form was already used. Please reload the page."), "token")
    return StepResult(step, False)


def _text_status(reader: Reader, *texts: str) -> str:
    if not any(texts):
        return JourneyStep.TextStatus.NONE
    if privacy.text_needs_approval(reader.user):
        return JourneyStep.TextStatus.PENDING
    return JourneyStep.TextStatus.APPROVED


def _write(copy_id: int, token, build, reader_key: str) -> StepResult:
    """Locks the copy, lets `build(copy)` check the rules and return the unsaved step and
    the copy's new end, and saves both; retried when another step took the position."""
    for _attempt in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                copy = (
                    BookCopy.objects.select_for_update()
                    .select_related("campaign", "book")
                    .get(pk=copy_id)
                )
                replayed = _replay(token, copy, reader_key)
                if replayed is not None:
                    return replayed
                step, changes = build(copy)
                stations = {copy.station_id, getattr(changes.get("station"), "pk", None)}
                step.copy = copy
                step.sequence = copy.steps_count + 1
                step.client_token = token
                step.save(force_insert=True)
                for name, value in changes.items():
                    setattr(copy, name, value)
                copy.steps_count = step.sequence
                copy.moved_at = step.created_at
                copy.save(update_fields=[*changes, "steps_count", "moved_at"])
                transaction.on_commit(
                    partial(
                        page_cache.copy_changed,
                        copy.pk,
                        copy.book_id,
                        copy.campaign_id,
                        *stations,
                    )
                )
                return StepResult(step, True)
        except IntegrityError as error:
            replayed = _replay(token, BookCopy(pk=copy_id), reader_key)
            if replayed is not None:
                return replayed
            if "no_catch_twice" in str(error):
                raise _already_caught() from error
            continue  # another step took this position first: read the copy again
    raise JourneyError(_("The book is busy right now. Please try again."), code="busy")


def _already_caught() -> JourneyError:
    return JourneyError(
        _("You caught this book last. Pass it on: someone else has to catch it next."),
        code="already_caught",
    )


def catch(
    copy: BookCopy,
    reader: Reader,
    *,
    token: uuid.UUID | None,
    place: Place = Place(),
    note: str = "",
    show_identity: bool = False,
    ip: str = "",
    now: datetime.datetime | None = None,
) -> StepResult:
    """Records that `reader` has the copy now (接漂).

    Guarantees: idempotent on `token`; refused (nothing written) outside the campaign's
    dates, for unapproved or withdrawn copies, for anonymous readers where the campaign
    does not allow them, for hostile or personal texts, and for the reader who caught the
    copy last (also under concurrency: a database constraint). Catching a lost copy finds
    it; catching a copy someone else still holds is allowed (it was passed on without a
    release). Notes of minors and anonymous readers wait for approval. Previous signed-in
    readers are told their book travels on (outbox, after commit).
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    replayed = _replay(token, copy, reader.key)
    if replayed is not None:
        return replayed
    _check_open(copy, today)
    if reader.is_anonymous and not copy.campaign.allow_anonymous:
        raise JourneyError(_("Please sign in to catch this book."), code="sign_in")
    nickname = _clean(reader.nickname, NICKNAME_MAX, "nickname") if reader.is_anonymous else ""
    if reader.is_anonymous and not nickname:
        raise JourneyError(_("Give a nickname so that the organisers know you."), "nickname")
    note = _clean(note, NOTE_MAX, "note")
    place_text = _clean(place.text, PLACE_MAX, "place")
    school_id, class_id = _check_place(copy, place)
    if reader.is_anonymous and not (school_id or place_text):
        raise JourneyError(_("Say where you are: your school or a place."), code="place")

    def build(locked: BookCopy):
        _check_open(locked, today)
        if locked.last_catcher_key == reader.key:
            raise _already_caught()
        step = JourneyStep(
            kind=JourneyStep.Kind.CATCH,
            reader=reader.user,
            reader_key=reader.key,
            previous_catcher_key=locked.last_catcher_key,
            nickname=nickname,
            station=locked.station if locked.state == BookCopy.State.AT_STATION else None,
            school_id=school_id,
            school_class_id=class_id,
            place_text=place_text,
            note=note,
            text_status=_text_status(reader, note, place_text),
            show_identity=bool(show_identity) and not reader.is_anonymous,
            created_at=now,
            ip_hash=ip_hash(ip),
        )
        changes = {
            "state": BookCopy.State.READING,
            "station": None,
            "holder": reader.user,
            "holder_key": reader.key,
            "last_catcher_key": reader.key,
        }
        return step, changes

    result = _write(copy.pk, token, build, reader.key)
    if result.created:
        transaction.on_commit(lambda: enqueue(NOTIFY_TARGET, result.step.pk))
    return result


def release(
    copy: BookCopy,
    reader: Reader,
    *,
    token: uuid.UUID | None,
    station: Station | None = None,
    place: Place = Place(),
    note: str = "",
    show_identity: bool = False,
    ip: str = "",
    now: datetime.datetime | None = None,
) -> StepResult:
    """Records that the reader who holds the copy passed it on (放漂): to one of the
    campaign's stations, or hand to hand (an optional place).

    Guarantees: idempotent on `token`; only the reader holding the copy may release it
    (anyone else is refused, nothing written); the station must be an open station of
    the copy's campaign; texts are checked and pre-moderated as for catches.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    replayed = _replay(token, copy, reader.key)
    if replayed is not None:
        return replayed
    _check_open(copy, today)
    if station is not None and (
        not station.is_active or not copy.campaign.stations.filter(pk=station.pk).exists()
    ):
        raise JourneyError(_("Choose one of this drift's stations."), code="station")
    note = _clean(note, NOTE_MAX, "note")
    place_text = _clean(place.text, PLACE_MAX, "place")
    school_id, class_id = _check_place(copy, place)

    def build(locked: BookCopy):
        _check_open(locked, today)
        if locked.state != BookCopy.State.READING:
            raise JourneyError(
                _("Nobody has caught this book yet, so it cannot be released. Catch it first."),
                code="not_held",
            )
        if locked.holder_key != reader.key:
            raise JourneyError(
                _("Only the reader who caught this book last can release it."), code="not_holder"
            )
        step = JourneyStep(
            kind=JourneyStep.Kind.RELEASE,
            reader=reader.user,
            reader_key=reader.key,
            nickname=reader.nickname if reader.is_anonymous else "",
            station=station,
            school_id=school_id,
            school_class_id=class_id,
            place_text=place_text,
            note=note,
            text_status=_text_status(reader, note, place_text),
            show_identity=bool(show_identity) and not reader.is_anonymous,
            created_at=now,
            ip_hash=ip_hash(ip),
        )
        changes = {
            "state": BookCopy.State.AT_STATION if station else BookCopy.State.PASSED_ON,
            "station": station,
            "holder": None,
            "holder_key": "",
        }
        return step, changes

    return _write(copy.pk, token, build, reader.key)


def organiser_step(
    copy: BookCopy,
    kind: str,
    *,
    by,
    station: Station | None = None,
    now: datetime.datetime | None = None,
) -> JourneyStep:
    """An organiser places the copy at a station, reports it lost or withdraws it.

    Guarantees: one step in the copy's journey, the copy's state moved with it, in one
    transaction; a lost copy caught later is found again (catch). Placing needs an open
    station of the campaign. Organiser steps carry no reader: the copy can be caught by
    its last reader again only after someone else caught it.
    """
    now = now or timezone.now()
    if kind == JourneyStep.Kind.PLACED:
        if station is None or not copy.campaign.stations.filter(pk=station.pk).exists():
            raise JourneyError(_("Choose one of this drift's stations."), code="station")
        changes = {
            "state": BookCopy.State.AT_STATION,
            "station": station,
            "holder": None,
            "holder_key": "",
        }
    elif kind == JourneyStep.Kind.LOST:
        changes = {"state": BookCopy.State.LOST, "station": None, "holder": None, "holder_key": ""}
    elif kind == JourneyStep.Kind.WITHDRAWN:
        changes = {
            "state": BookCopy.State.WITHDRAWN,
            "station": None,
            "holder": None,
            "holder_key": "",
        }
    else:
        raise ValueError(f"not an organiser step: {kind}")
    if copy.approval != BookCopy.Approval.APPROVED and kind != JourneyStep.Kind.WITHDRAWN:
        raise JourneyError(_("Approve the donated copy first."), code="pending")

    def build(locked: BookCopy):
        step = JourneyStep(
            kind=kind,
            reader=None,
            reader_key="",
            station=station if kind == JourneyStep.Kind.PLACED else None,
            recorded_by=by,
            created_at=now,
        )
        return step, changes

    return _write(copy.pk, None, build, "").step
