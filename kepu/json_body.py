"""One strict reader for the JSON bodies of the project's endpoints.

`json.loads` alone lets hostile bodies through to the views: `1e400` becomes infinity (and
`int()` of it raises OverflowError), a few thousand nested brackets raise RecursionError,
`NaN` is accepted, UTF-16 is guessed, and nothing bounds the size. `read_json` refuses all of
that before a view sees the data, with a clear message in Chinese and a 4xx status, so a view
only has to check the fields it expects.
"""

import json
import math

from django.utils.translation import gettext as _

MAX_BYTES = 16 * 1024
MAX_DEPTH = 8
# Integers a browser's JSON.stringify can send exactly; anything larger is not a real id,
# position or count.
MAX_NUMBER = 2**53


class BadJSON(Exception):
    """The body cannot be used; `message` says why (for the person), `status` is the HTTP
    status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def _nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`, counted without parsing it (so a
    hostile body cannot exhaust the parser's recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
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


def _number(text: str, kind):
    value = kind(text)
    # The magnitude first: isfinite() of an integer too large for a float raises.
    if abs(value) > MAX_NUMBER or not math.isfinite(value):
        raise ValueError(text)
    return value


def _not_a_number(text: str):
    raise ValueError(text)


def _has_lone_surrogate(value) -> bool:
    """Whether a string anywhere in `value` holds a "\\ud800"-style half of a pair, which
    cannot be stored or sent on as UTF-8."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


def _unique_keys(pairs):
    keys = [key for key, _value in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("repeated key")
    return dict(pairs)


def parse(raw: bytes | str, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH, floats=True):
    """The JSON value in `raw`, read strictly.

    Guarantees: `raw` is at most `max_bytes` long, is valid UTF-8, nests at most `max_depth`
    arrays/objects, repeats no key within an object, holds only finite numbers no larger than
    2**53 in magnitude (no NaN or Infinity; no fractions at all unless `floats`) and only
    strings that are valid Unicode (no lone surrogates). Otherwise raises BadJSON with a
    Chinese message (413 for too long, 400 for the rest).
    """
    if len(raw) > max_bytes:
        raise BadJSON(_("The request is too large."), status=413)
    unreadable = _("The request could not be read. Please try again.")
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise BadJSON(unreadable) from exc
    if _nesting_depth(text) > max_depth:
        raise BadJSON(unreadable)
    try:
        data = json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_int=lambda s: _number(s, int),
            parse_float=(lambda s: _number(s, float)) if floats else _not_a_number,
            parse_constant=_not_a_number,
        )
    except ValueError as exc:  # JSONDecodeError, numbers out of range, int digit limit
        raise BadJSON(unreadable) from exc
    if _has_lone_surrogate(data):
        raise BadJSON(unreadable)
    return data


def read_json(request, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> dict:
    """The JSON object in `request`'s body, read by `parse` (which says what is guaranteed).

    Also: the body was declared as `application/json` (else 415), its declared length is
    checked before it is read (413), and the value at the top is an object.
    """
    content_type = request.content_type or ""
    if content_type.lower() != "application/json":
        raise BadJSON(_("The request must be sent as JSON."), status=415)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes:
        raise BadJSON(_("The request is too large."), status=413)
    data = parse(request.body, max_bytes=max_bytes, max_depth=max_depth)
    if not isinstance(data, dict):
        raise BadJSON(_("The request could not be read. Please try again."))
    return data
