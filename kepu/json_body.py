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


def read_json(request, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> dict:
    """The JSON object in `request`'s body.

    Guarantees: the body was declared as `application/json`, is at most `max_bytes` long
    (checked before it is read), is valid UTF-8, nests at most `max_depth` arrays/objects,
    holds only finite numbers no larger than 2**53 in magnitude (no NaN or Infinity) and only
    strings that are valid Unicode (no lone surrogates), and is an object at the top.
    Otherwise raises BadJSON with a Chinese message (413 for a body too large, 415 for another
    content type, 400 for the rest).
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
    body = request.body
    if len(body) > max_bytes:
        raise BadJSON(_("The request is too large."), status=413)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadJSON(_("The request could not be read. Please try again.")) from exc
    if _nesting_depth(text) > max_depth:
        raise BadJSON(_("The request could not be read. Please try again."))
    try:
        data = json.loads(
            text,
            parse_int=lambda s: _number(s, int),
            parse_float=lambda s: _number(s, float),
            parse_constant=_not_a_number,
        )
    except ValueError as exc:  # JSONDecodeError, numbers out of range, int digit limit
        raise BadJSON(_("The request could not be read. Please try again.")) from exc
    if not isinstance(data, dict) or _has_lone_surrogate(data):
        raise BadJSON(_("The request could not be read. Please try again."))
    return data
