"""Reading the answer batches a phone sends: bounded, strict JSON, in one place.

A batch (quiz.js sends one a few seconds after the participant changes an answer, when the
page is hidden, and with the submit):

    {"token": "<uuid4>", "leaves": 2,
     "answers": [{"q": 3, "s": 17, "o": ["<option token>", ...]}, ...]}

`token` makes the batch idempotent (a replay changes nothing); `q` is the question's
position, `s` the client's sequence number of that answer (the highest one received wins,
so a late or replayed batch never overwrites a newer answer), `o` the chosen option tokens
(empty: the participant cleared a multiple-choice answer); `leaves` is how often the page was
left so far (optional). Anything else — unknown or repeated keys, wrong types, numbers out
of range, NaN, floats, nesting deeper than the format, a body over `MAX_BYTES` — is refused
with a message in Chinese and changes nothing.

The generic part (size, depth, repeated keys, constants, number sizes) is the project's
strict JSON reader, kepu/json_body.py.
"""

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kepu import json_body
from kepu.refusals import Refusal

MAX_BYTES = 16 * 1024
MAX_DEPTH = 4  # object → answers list → answer object → option list
MAX_ANSWERS = 500
MAX_OPTIONS = 8
MAX_OPTION_TOKEN = 40
MAX_SEQUENCE = 2**31 - 1
MAX_LEAVES = 100_000
MAX_POSITION = 32_767


class BadBatch(Refusal, ValueError):
    """A batch that cannot be read; `message` says so in the participant's language."""

    message = _("The answers could not be read. Please reload the page.")


@dataclass(frozen=True)
class AnswerIn:
    position: int
    # None: the newest answer, whatever the server holds (a form post without JavaScript).
    sequence: int | None
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Batch:
    token: uuid.UUID
    answers: tuple[AnswerIn, ...]
    leaves: int | None = None


def loads_bounded(raw: bytes | str, *, max_bytes: int, max_depth: int):
    """Parses JSON with the project's strict reader (kepu/json_body.py: size, depth, repeated
    keys, NaN, number sizes), refusing fractions too; its refusals become BadBatch."""
    try:
        return json_body.parse(raw, max_bytes=max_bytes, max_depth=max_depth, floats=False)
    except json_body.BadJSON as error:
        if error.status == 413:
            raise BadBatch(_("Too many answers at once. Please reload the page.")) from None
        raise BadBatch from None


def _int(value, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise BadBatch
    return value


def parse_batch(raw: bytes | str, *, positions: int) -> Batch:
    """The batch in `raw`, for an attempt of `positions` questions; BadBatch if malformed."""
    data = loads_bounded(raw, max_bytes=MAX_BYTES, max_depth=MAX_DEPTH)
    if type(data) is not dict or not {"token", "answers"} <= set(data) <= {
        "token",
        "answers",
        "leaves",
    }:
        raise BadBatch
    try:
        token = uuid.UUID(data["token"]) if type(data["token"]) is str else None
    except ValueError:
        token = None
    if token is None:
        raise BadBatch
    answers = data["answers"]
    if type(answers) is not list or len(answers) > min(MAX_ANSWERS, positions):
        raise BadBatch
    parsed = []
    for answer in answers:
        if type(answer) is not dict or set(answer) != {"q", "s", "o"}:
            raise BadBatch
        options = answer["o"]
        if (
            type(options) is not list
            or len(options) > MAX_OPTIONS
            or any(type(o) is not str or not 0 < len(o) <= MAX_OPTION_TOKEN for o in options)
        ):
            raise BadBatch
        parsed.append(
            AnswerIn(
                position=_int(answer["q"], 1, min(positions, MAX_POSITION)),
                sequence=_int(answer["s"], 1, MAX_SEQUENCE),
                tokens=tuple(options),
            )
        )
    if len({answer.position for answer in parsed}) != len(parsed):
        raise BadBatch
    leaves = _int(data["leaves"], 0, MAX_LEAVES) if "leaves" in data else None
    return Batch(token=token, answers=tuple(parsed), leaves=leaves)
