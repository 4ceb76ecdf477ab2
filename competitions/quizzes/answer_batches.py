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

`loads_bounded` is the generic part (size, depth, duplicate keys, constants, number sizes);
the project's shared strict JSON parser can replace it without touching the rest.
"""

import json
import uuid
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MAX_BYTES = 16 * 1024
MAX_DEPTH = 4  # object → answers list → answer object → option list
MAX_ANSWERS = 500
MAX_OPTIONS = 8
MAX_OPTION_TOKEN = 40
MAX_SEQUENCE = 2**31 - 1
MAX_LEAVES = 100_000
MAX_POSITION = 32_767


class BadBatch(ValueError):
    """A batch that cannot be read; `message` says so in the participant's language."""

    def __init__(self, message=None):
        self.message = message or _("The answers could not be read. Please reload the page.")
        super().__init__(str(self.message))


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


def _refuse_constant(name):
    raise BadBatch


def _no_duplicates(pairs):
    keys = [key for key, _value in pairs]
    if len(keys) != len(set(keys)):
        raise BadBatch
    return dict(pairs)


def _small_int(text: str) -> int:
    if len(text.lstrip("-")) > 10:
        raise BadBatch
    return int(text)


def _refuse_float(text: str):
    raise BadBatch


def _depth(raw: str) -> int:
    """The deepest nesting of arrays and objects in `raw` (strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in raw:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def loads_bounded(raw: bytes | str, *, max_bytes: int, max_depth: int):
    """Parses JSON no longer than `max_bytes` and nested at most `max_depth` deep.

    Refuses (BadBatch) what is too long, too deep, not UTF-8, not JSON, has repeated keys,
    NaN or Infinity, floats, or integers longer than ten digits.
    """
    if len(raw) > max_bytes:
        raise BadBatch(_("Too many answers at once. Please reload the page."))
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise BadBatch from None
    if _depth(text) > max_depth:
        raise BadBatch
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_refuse_constant,
            parse_int=_small_int,
            parse_float=_refuse_float,
        )
    except (ValueError, RecursionError) as exc:
        raise exc if isinstance(exc, BadBatch) else BadBatch() from None


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
