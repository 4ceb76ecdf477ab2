"""The attempt token: the paper's own proof of whose attempt a batch or a submit is for.

The paper page carries it (quiz.js sends it as the `X-Quiz-Token` header with a batch, and
as the `attempt_token` field of a beacon and of the paper's form). It is signed with the
site's secret and names the attempt, its participant (the account, or "the holder of the
participant cookie") and a digest of the cookie that identified them when it was issued
(the session cookie, or the anonymous participant cookie), and it expires at the attempt's
deadline (the grace period included).

A request that carries a valid token with the cookie it is bound to is served on the lean
path (kepu.middleware.LeanViewMiddleware): no session read from Redis, no account read from
PostgreSQL, no CSRF cookie comparison. It is as safe as the full path:

- it cannot be forged (HMAC with SECRET_KEY and its own salt);
- another site cannot use it (CSRF): it is only in the paper's HTML, which another origin
  cannot read, exactly like the CSRF token; and it is worthless without the cookie it is
  bound to, so a participant cannot plant their own token in someone else's browser;
- it opens one attempt only, and only until that attempt's deadline; who holds the cookie
  could use the full path anyway.

A missing, expired or foreign token is never refused here: the request takes the full path
(session, authentication, CSRF, the minors' consent gate) exactly as before. A token is only
issued by a view that came through that full path.
"""

import time
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from .attempts import participant_key
from .models import QuizAttempt

SALT = "quizzes.attempt-token"
HEADER = "X-Quiz-Token"
FIELD = "attempt_token"
# The anonymous participant's cookie (a random id, signed).
PARTICIPANT_COOKIE = "kepu_quiz_participant"
PARTICIPANT_SALT = "quizzes.participant"
# Bodies that may carry the token as a field (a beacon, the paper's form); a JSON batch
# sends the header.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Longer is not a token (a valid one is ~130 characters): not worth an HMAC.
MAX_LENGTH = 400


def device_of(basis: str | None) -> str:
    """The digest that identifies a browser to a one-device quiz (never the cookie itself)."""
    return salted_hmac("quizzes.device", basis).hexdigest()[:24] if basis else ""


@dataclass(frozen=True)
class Holder:
    """Who a valid token says is asking: the participant key and this browser's device."""

    key: str
    device: str
    user_id: int | None


def issue(attempt: QuizAttempt, device: str) -> str:
    """A token for `attempt`, bound to `device` (device_of the requester's cookie)."""
    # An account's key names the account; an anonymous key is the cookie's secret itself, so
    # it stays out of the page and is read back from the cookie.
    kind = attempt.participant_key if attempt.participant_key.startswith("u:") else "a"
    payload = [attempt.public_id.hex, kind, device, int(attempt.deadline.timestamp())]
    return signing.dumps(payload, salt=SALT, compress=False)


def holder(request, public_id: UUID) -> Holder | None:
    """The participant a valid token of attempt `public_id` proves `request` comes from, or
    None (no token, a forged, expired or foreign one, or not with the cookie it is bound to).
    Reads no session and no database; the result is kept on the request."""
    if hasattr(request, "_quiz_holder"):
        return request._quiz_holder
    request._quiz_holder = found = _holder(request, public_id)
    return found


def _holder(request, public_id: UUID) -> Holder | None:
    raw = request.headers.get(HEADER)
    if raw is None and request.content_type in FORM_TYPES:
        raw = request.POST.get(FIELD)
    if not raw or len(raw) > MAX_LENGTH:
        return None
    try:
        attempt_hex, kind, device, expires = signing.loads(raw, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if attempt_hex != public_id.hex or not isinstance(expires, int) or expires < time.time():
        return None
    if kind == "a":
        basis = request.get_signed_cookie(PARTICIPANT_COOKIE, default=None, salt=PARTICIPANT_SALT)
    elif isinstance(kind, str) and kind.startswith("u:") and kind[2:].isdecimal():
        basis = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    else:
        return None
    if not basis or not isinstance(device, str):
        return None
    if not constant_time_compare(device_of(basis), device):
        return None
    if kind == "a":
        return Holder(key=participant_key(anonymous_id=basis), device=device, user_id=None)
    return Holder(key=kind, device=device, user_id=int(kind[2:]))
