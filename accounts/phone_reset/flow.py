"""The state of one phone password reset, kept in the session of the browser that asked."""

import hmac
import time
from dataclasses import dataclass

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from kepu import ratelimit
from kepu.http import client_ip
from kepu.refusals import Refusal

from ..lockout import policy as lockout
from ..models import User

SESSION_KEY = "kepu_phone_reset"
# As long as a sign-in code (allauth's ACCOUNT_LOGIN_BY_CODE_TIMEOUT).
TIMEOUT_SECONDS = allauth_settings.LOGIN_BY_CODE_TIMEOUT
MAX_ATTEMPTS = 3
# Codes asked for one number, and from one address, per window.
PER_PHONE = 3
PER_ADDRESS = 10
WINDOW_SECONDS = 3600
SENDING_PAUSED = _("Text messages cannot be sent right now. Please try again in a few minutes.")


class TooManyRequests(Refusal):
    """More codes were asked for than the limits allow; `message` says so in Chinese."""


@dataclass
class Reset:
    phone: str
    user_id: int | None
    code_hash: str
    started_at: float
    failed_attempts: int = 0

    def expired(self) -> bool:
        return time.time() - self.started_at > TIMEOUT_SECONDS

    def user(self) -> User | None:
        if self.user_id is None:
            return None
        return User.objects.filter(pk=self.user_id, is_active=True).first()


def _hash(code: str) -> str:
    return salted_hmac("kepu.phone_reset", code).hexdigest()


def current(request) -> Reset | None:
    """The reset this browser started, unless it expired or used up its tries."""
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict):
        return None
    try:
        reset = Reset(**state)
    except TypeError:
        return None
    if reset.expired() or reset.failed_attempts >= MAX_ATTEMPTS:
        return None
    return reset


def _save(request, reset: Reset) -> None:
    request.session[SESSION_KEY] = reset.__dict__.copy()


def forget(request) -> None:
    """Ends this browser's reset (done, cancelled or used up)."""
    request.session.pop(SESSION_KEY, None)


def start(request, phone: str) -> None:
    """Starts a reset for `phone` (normalised, +86…): a new code is texted to the number if,
    and only if, an active account uses it. Raises `TooManyRequests` beyond the limits and
    `ratelimit.RateLimitUnavailable` while they cannot be counted (nothing is sent then)."""
    per_phone = ratelimit.increment(
        "phone-reset-phone", phone, WINDOW_SECONDS, message=SENDING_PAUSED
    )
    per_address = ratelimit.increment(
        "phone-reset-ip", client_ip(request), WINDOW_SECONDS, message=SENDING_PAUSED
    )
    if per_phone > PER_PHONE or per_address > PER_ADDRESS:
        raise TooManyRequests(
            _("Codes were requested too often. Please wait %(minutes)d minutes and try again.")
            % {"minutes": WINDOW_SECONDS // 60}
        )
    adapter = get_adapter(request)
    user = adapter.get_user_by_phone(phone)
    if user is not None and not user.is_active:
        user = None
    code = adapter.generate_login_code()
    _save(
        request,
        Reset(
            phone=phone,
            user_id=user.pk if user else None,
            code_hash=_hash(code),
            started_at=time.time(),
        ),
    )
    if user is not None:
        adapter.send_password_reset_sms(phone, code)


def check_code(request, reset: Reset, code: str) -> bool:
    """Whether `code` is this reset's code. A wrong code uses up one of the tries."""
    given = "".join(str(code).split())
    if reset.user_id is not None and hmac.compare_digest(_hash(given), reset.code_hash):
        return True
    reset.failed_attempts += 1
    _save(request, reset)
    return False


def finish(request, user: User, password: str) -> None:
    """Sets the new password and ends the reset. Other sessions of the account end (their
    session hash no longer matches), and this address becomes one the account is known to
    use, so the new password is accepted here even while strangers keep guessing."""
    get_adapter(request).set_password(user, password)
    forget(request)
    lockout.remember_address(request, user)
