"""Who may try a password now: lockouts keyed on (account, address), ceilings, a captcha step.

For an attempt on account A from address X (the client IP from `kepu.http.client_ip`, an
IPv6 address counted as its /64 network, which is what one subscriber holds):

1. X failed for A `KEPU_SIGNIN_MAX_FAILURES` times within `KEPU_SIGNIN_WINDOW_SECONDS`:
   refused, for X only. A stranger guessing locks out their own address, not the user.
2. A failed `KEPU_SIGNIN_ACCOUNT_MAX_FAILURES` times within a day from all addresses
   together, or X failed `ADDRESS_MAX_FAILURES` times within the window for any accounts:
   refused from addresses A has not signed in from before. A distributed attack stops there;
   the user, from an address they have signed in from (remembered `KNOWN_ADDRESS_DAYS`), still
   gets in after the captcha, and anyone can sign in with a texted or e-mailed code.
3. A failed `KEPU_SIGNIN_MAX_FAILURES` times within a day, or X failed
   `ADDRESS_CAPTCHA_AFTER` times within the window: a captcha before the password is checked.

Counters live in the cache (DESIGN.md rule 7: defence in depth; they may vanish); while it is
unreachable each web process counts for itself (`kepu.ratelimit.PER_PROCESS`), so staff and
participants can still sign in and guessing stays bounded (docs/reliability.md). Only
attempts whose password was checked count; refused attempts check nothing and count nothing.
Each check first takes one of the address's attempts at the account (`begin_attempt()`, one
atomic increment), so even a burst of parallel requests checks no more passwords than the
limit. Accounts that do not exist are counted under what was typed, so they behave exactly
like real ones and the lockout reveals nothing about who has an account.
"""

import hashlib
import ipaddress
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from allauth.account.utils import filter_users_by_email
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext

from accounts.models import User
from accounts.phones import parse_phone
from kepu import ratelimit
from kepu.http import client_ip
from kepu.ratelimit import PER_PROCESS

PAIR_SCOPE = "signin-fail-pair"
ACCOUNT_SCOPE = "signin-fail-account"
ADDRESS_SCOPE = "signin-fail-address"
ACCOUNT_WINDOW_SECONDS = 24 * 3600
# Many phones share one carrier address: these only ask for a captcha, then refuse strangers
# to an account at a level no group of people typing reaches.
ADDRESS_CAPTCHA_AFTER = 10
ADDRESS_MAX_FAILURES = 100
KNOWN_ADDRESS_DAYS = 90


@dataclass(frozen=True)
class Verdict:
    """What an attempt may do: go ahead, go ahead after a captcha, or nothing (`message`)."""

    locked: bool = False
    captcha: bool = False
    message: str = ""


OPEN = Verdict()


def account_for_user(user) -> str:
    return f"user:{user.pk}"


def account_for_login(identifier: str) -> str | None:
    """The account a sign-in form's login field names, however it was typed.

    A phone number in any spelling, an e-mail address in any case and a username all name
    the same account, so switching spellings (or switching between the site's and the
    admin's sign-in) counts against the same lockout. Unknown logins get a key of their own.
    """
    text = str(identifier or "").strip()
    if not text:
        return None
    if "\x00" in text:
        # No account has one (the form refuses it); the database could not even look it up.
        return f"login:{text.casefold()}"
    phone = parse_phone(text)
    user = None
    if phone:
        user = get_adapter().get_user_by_phone(phone)
    elif "@" in text:
        users = filter_users_by_email(text, prefer_verified=True)
        user = users[0] if users else None
    if user is None:
        user = User.objects.filter(username=text).only("pk").first()
    if user is not None:
        return account_for_user(user)
    return f"login:{(phone or text).casefold()}"


def address_of(request) -> str:
    """The client address a lockout counts: the IP, or for IPv6 its /64 network."""
    ip = client_ip(request)
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return ip


def _window() -> int:
    return settings.KEPU_SIGNIN_WINDOW_SECONDS


def _known_key(account: str, address: str) -> str:
    digest = hashlib.sha256(f"{account}|{address}".encode()).hexdigest()[:32]
    return f"signin-known:{digest}"


def is_known_address(account: str, address: str) -> bool:
    return bool(address) and cache.get(_known_key(account, address)) is not None


def assess(request, account: str | None) -> Verdict:
    """The verdict for a password attempt on `account` (None: not named yet) from `request`.

    Reads the counters only; nothing is counted until `record_failure()`.
    """
    address = address_of(request)
    address_failures = ratelimit.count(ADDRESS_SCOPE, address, on_outage=PER_PROCESS)
    account_failures = 0
    known = False
    if account is not None:
        pair_failures = ratelimit.count(PAIR_SCOPE, f"{account}|{address}", on_outage=PER_PROCESS)
        if pair_failures >= settings.KEPU_SIGNIN_MAX_FAILURES:
            return Verdict(locked=True, message=_locked_message())
        account_failures = ratelimit.count(ACCOUNT_SCOPE, account, on_outage=PER_PROCESS)
        known = is_known_address(account, address)
    over_ceiling = (
        account_failures >= settings.KEPU_SIGNIN_ACCOUNT_MAX_FAILURES
        or address_failures >= ADDRESS_MAX_FAILURES
    )
    if over_ceiling and not known and account is not None:
        return Verdict(locked=True, message=_new_address_message())
    if (
        over_ceiling
        or account_failures >= settings.KEPU_SIGNIN_MAX_FAILURES
        or address_failures >= ADDRESS_CAPTCHA_AFTER
    ):
        return Verdict(captcha=True)
    return OPEN


def begin_attempt(request, account: str) -> Verdict:
    """Takes one of the request's address's attempts at `account`'s password, before it is
    checked: `OPEN`, or a locked verdict when none is left. One atomic increment, so of
    concurrent requests at most `KEPU_SIGNIN_MAX_FAILURES` get through per window. The
    attempt counts as failed unless `record_success()` follows."""
    pair = f"{account}|{address_of(request)}"
    taken = ratelimit.increment(PAIR_SCOPE, pair, _window(), on_outage=PER_PROCESS)
    if taken > settings.KEPU_SIGNIN_MAX_FAILURES:
        return Verdict(locked=True, message=_locked_message())
    return OPEN


def record_failure(request, account: str) -> None:
    """Counts a wrong password for `account` towards its and the address's totals."""
    ratelimit.increment(ACCOUNT_SCOPE, account, ACCOUNT_WINDOW_SECONDS, on_outage=PER_PROCESS)
    ratelimit.increment(ADDRESS_SCOPE, address_of(request), _window(), on_outage=PER_PROCESS)


def record_success(request, account: str) -> None:
    """A right password: this address's attempts at the account are forgiven.

    The account's and the address's totals stay: a success in between must not reset an
    attack that is still going on.
    """
    ratelimit.reset(PAIR_SCOPE, f"{account}|{address_of(request)}")


def remember_address(request, user) -> None:
    """Remembers that `user` signed in from the request's address (see rule 2 above)."""
    address = address_of(request)
    if not address:
        return
    account = account_for_user(user)
    cache.set(_known_key(account, address), 1, KNOWN_ADDRESS_DAYS * 24 * 3600)
    ratelimit.reset(PAIR_SCOPE, f"{account}|{address}")


def _locked_message() -> str:
    return gettext(
        "Too many failed sign-in attempts. Please wait %(minutes)d minutes and try again."
    ) % {"minutes": max(1, _window() // 60)}


def _new_address_message() -> str:
    return gettext(
        "This account has had too many failed sign-in attempts. To protect it, its password "
        "is accepted for now only on a network it has signed in from before. Sign in with a "
        "code by text message or e-mail instead, or try again later."
    )
