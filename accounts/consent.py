"""Guardian consent for children under `KEPU_GUARDIAN_CONSENT_AGE` (DESIGN.md rule 8).

1. The child (account waiting for consent) enters a guardian's phone number:
   `request_guardian_consent` texts that phone a one-time code and a link.
2. The guardian opens the link on their own phone, enters the code (proving they hold that
   phone), reads the consent text and agrees or refuses: `record_guardian_decision` writes an
   immutable `GuardianConsent` and sets the child's `consent_status`.

The text message is sent in the request, right after the request row is saved, rather than
through the outbox: it carries the one-time code, which is never stored in clear anywhere
(the outbox table included). If sending fails the request is removed and the child may try
again.

The same flow, with `scope=DISPLAY`, asks the guardian of a child whose account they already
allowed for a separate consent: public display of the child's contest works (DESIGN.md rule
8). That text goes to the phone of the guardian who agreed to the account, so the child
cannot route it to someone else; the child (or the guardian, refusing through a new link)
can withdraw it at any time with `withdraw_display_consent`, a new "refuse" record.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kepu import ratelimit
from kepu.refusals import Refusal

from .age import needs_guardian_consent
from .masking import mask_phone
from .models import GuardianConsent, GuardianConsentRequest, User
from .phones import normalize_phone
from .sms import SMSRateLimited, send_sms

logger = logging.getLogger(__name__)

# Sent after a commit that granted or withdrew a display consent (no arguments): what shows
# children's works to the public, such as the anonymous page cache (content/cache.py),
# listens, so accounts needs to know none of it.
display_consent_changed = Signal()

CODE_LENGTH = 6
REQUEST_SCOPE = "guardian-request"
DECISION_IP_SCOPE = "guardian-decision-ip"


class ConsentError(Refusal):
    """A consent step that cannot go ahead; `message` is for the person in front of the screen."""

    message = _("This request cannot be completed.")


class NotWaitingForConsent(ConsentError):
    message = _("This account is not waiting for a guardian's consent.")


class NoAccountGuardian(ConsentError):
    message = _(
        "No guardian has agreed to this account yet, so there is nobody to ask about public "
        "display."
    )


class DisplayConsentNotNeeded(ConsentError):
    message = _("Your own agreement is enough: you do not need your guardian's consent for this.")


class OwnPhoneNotAllowed(ConsentError):
    message = _(
        "A guardian must use their own phone. Enter your parent's or guardian's number, "
        "not your own."
    )


class TooManyRequests(ConsentError):
    message = _("Too many messages have been sent. Please wait a while and try again.")


class SendingFailed(ConsentError):
    message = _("The text message could not be sent. Please try again in a few minutes.")


class InvalidLink(ConsentError):
    message = _("This link is not valid. Please check that you opened the whole link.")


class ExpiredLink(ConsentError):
    message = _("This link has expired. Ask the child to send a new request.")


class UsedLink(ConsentError):
    message = _("A decision has already been made with this link. It cannot be used again.")


class LockedLink(ConsentError):
    message = _("The code was entered wrongly too many times. Ask the child to send a new request.")


class WrongCode(ConsentError):
    message = _("The verification code is not correct.")


def _request_ttl() -> timedelta:
    return timedelta(minutes=settings.KEPU_GUARDIAN_REQUEST_TTL_MINUTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _hash_code(token_hash: str, code: str) -> str:
    # Keyed with SECRET_KEY: six digits are easy to brute-force from a bare hash.
    return salted_hmac("kepu.guardian-code", f"{token_hash}:{code}").hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


@dataclass(frozen=True)
class IssuedRequest:
    request: GuardianConsentRequest
    token: str


def account_guardian_phone(child: User) -> str:
    """The phone of the guardian whose latest account decision was to agree, or ""."""
    latest = (
        GuardianConsent.objects.filter(child=child, scope=GuardianConsent.Scope.ACCOUNT)
        .order_by("-decided_at", "-pk")
        .first()
    )
    if latest is None or latest.decision != GuardianConsent.Decision.AGREE:
        return ""
    return latest.guardian_phone


def request_guardian_consent(
    child: User,
    guardian_phone: str = "",
    *,
    build_link,
    scope: str = GuardianConsent.Scope.ACCOUNT,
    now=None,
) -> IssuedRequest:
    """Texts a guardian a one-time code and a link to decide about `child`'s account, or
    (scope "display") about public display of the child's contest works.

    `build_link(token)` turns the token into the absolute URL for the message.
    Guarantees: for the account, the child is waiting for consent and the guardian's number
    is a valid mobile number and not the child's own; for display, the child's account was
    agreed to by a guardian, the child is under `KEPU_GUARDIAN_CONSENT_AGE`, and the text
    goes to that guardian's phone (`guardian_phone` is ignored). Any earlier unused request
    of the child for the same scope stops working; only hashes of token and code are
    stored; the request expires after `KEPU_GUARDIAN_REQUEST_TTL_MINUTES` and is
    single-use. Limited to `KEPU_GUARDIAN_REQUESTS_PER_HOUR` requests per child (both
    scopes together), and by the per-phone SMS quota.
    """
    now = now or timezone.now()
    if scope == GuardianConsent.Scope.DISPLAY:
        if not needs_guardian_for_display(child):
            raise DisplayConsentNotNeeded
        if child.consent_status != User.ConsentStatus.GRANTED:
            raise NotWaitingForConsent
        phone = account_guardian_phone(child)
        if not phone:
            raise NoAccountGuardian
    else:
        scope = GuardianConsent.Scope.ACCOUNT
        phone = normalize_phone(guardian_phone)
        if child.consent_status != User.ConsentStatus.PENDING:
            raise NotWaitingForConsent
    if child.phone and normalize_phone(child.phone) == phone:
        raise OwnPhoneNotAllowed
    limit = settings.KEPU_GUARDIAN_REQUESTS_PER_HOUR
    if ratelimit.count(REQUEST_SCOPE, str(child.pk)) >= limit:
        raise TooManyRequests

    token = secrets.token_urlsafe(18)
    code = _new_code()
    token_hash = hash_token(token)
    with transaction.atomic():
        GuardianConsentRequest.objects.filter(
            child=child, scope=scope, used_at__isnull=True
        ).delete()
        consent_request = GuardianConsentRequest.objects.create(
            child=child,
            guardian_phone=phone,
            scope=scope,
            token_hash=token_hash,
            code_hash=_hash_code(token_hash, code),
            created_at=now,
            expires_at=now + _request_ttl(),
        )
    ratelimit.increment(REQUEST_SCOPE, str(child.pk), 3600)
    if scope == GuardianConsent.Scope.DISPLAY:
        template = gettext(
            "[%(site)s] Your child asks whether their contest works may be shown publicly on "
            "%(site)s. Your code is %(code)s (valid for %(minutes)d minutes). To read what "
            "would be shown and agree or refuse, open %(link)s"
        )
    else:
        template = gettext(
            "[%(site)s] A child has asked to use an account on %(site)s with you as their "
            "guardian. Your code is %(code)s (valid for %(minutes)d minutes). To read the "
            "terms and agree or refuse, open %(link)s"
        )
    params = {
        "code": code,
        "minutes": settings.KEPU_GUARDIAN_REQUEST_TTL_MINUTES,
        "link": build_link(token),
    }
    message = template % {"site": settings.WAGTAIL_SITE_NAME, **params}
    display = scope == GuardianConsent.Scope.DISPLAY
    kind = "guardian_display_consent" if display else "guardian_consent"
    try:
        send_sms(phone, message, template=kind, params=params)
    except SMSRateLimited:
        consent_request.delete()
        raise TooManyRequests from None
    except Exception as error:
        # A gateway outage must not leave a request nobody received, nor a server error.
        logger.exception("guardian sms failed", extra={"user_id": child.pk})
        consent_request.delete()
        raise SendingFailed from error
    logger.info(
        "guardian consent requested",
        extra={"user_id": child.pk, "guardian_phone": mask_phone(phone), "scope": scope},
    )
    return IssuedRequest(request=consent_request, token=token)


def open_request(token: str, now=None) -> GuardianConsentRequest:
    """The request behind a link token; raises a `ConsentError` if it cannot be decided on."""
    now = now or timezone.now()
    consent_request = (
        GuardianConsentRequest.objects.select_related("child")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if consent_request is None:
        raise InvalidLink
    _check_usable(consent_request, now)
    return consent_request


def _check_usable(consent_request: GuardianConsentRequest, now) -> None:
    if consent_request.used_at is not None:
        raise UsedLink
    waiting_status = (
        User.ConsentStatus.GRANTED
        if consent_request.scope == GuardianConsent.Scope.DISPLAY
        else User.ConsentStatus.PENDING
    )
    if consent_request.child.consent_status != waiting_status:
        raise UsedLink
    if consent_request.expires_at <= now:
        raise ExpiredLink
    if consent_request.failed_attempts >= settings.KEPU_GUARDIAN_MAX_CODE_ATTEMPTS:
        raise LockedLink


def record_guardian_decision(
    token: str, code: str, decision: str, *, ip_address: str | None, now=None
) -> GuardianConsent:
    """Records a guardian's decision, once, if the code sent to their phone is right.

    Guarantees: the link is valid, unexpired, unused and not locked; the code matches
    (compared in constant time); wrong codes count towards
    `KEPU_GUARDIAN_MAX_CODE_ATTEMPTS` per request (stored in the database) and the client
    address is limited too; on success exactly one immutable `GuardianConsent` is written
    (the request's scope, current policy version, the guardian's IP), the request is spent
    and, for the account scope, the child's status becomes granted or refused, all in one
    transaction; a display decision changes no status (the latest display record counts)
    and invalidates the page cache after commit. Two concurrent submissions cannot both
    succeed (the request row is locked).
    """
    now = now or timezone.now()
    if decision not in GuardianConsent.Decision.values:
        raise ConsentError
    ip_ident = ip_address or "unknown"
    if ratelimit.count(DECISION_IP_SCOPE, ip_ident) >= settings.KEPU_GUARDIAN_MAX_ATTEMPTS_PER_IP:
        raise TooManyRequests
    wrong_code = False
    with transaction.atomic():
        consent_request = (
            GuardianConsentRequest.objects.select_for_update()
            .filter(token_hash=hash_token(token or ""))
            .first()
        )
        if consent_request is None:
            ratelimit.increment(DECISION_IP_SCOPE, ip_ident, 3600)
            raise InvalidLink
        child = User.objects.select_for_update().get(pk=consent_request.child_id)
        consent_request.child = child
        _check_usable(consent_request, now)
        expected = consent_request.code_hash
        given = _hash_code(consent_request.token_hash, (code or "").strip())
        if not constant_time_compare(expected, given):
            GuardianConsentRequest.objects.filter(pk=consent_request.pk).update(
                failed_attempts=F("failed_attempts") + 1
            )
            wrong_code = True
        else:
            consent = GuardianConsent.objects.create(
                child=child,
                guardian_phone=consent_request.guardian_phone,
                decision=decision,
                scope=consent_request.scope,
                policy_version=settings.KEPU_CONSENT_POLICY_VERSION,
                decided_at=now,
                ip_address=ip_address or None,
            )
            consent_request.used_at = now
            consent_request.save(update_fields=["used_at"])
            if consent_request.scope == GuardianConsent.Scope.ACCOUNT:
                child.consent_status = (
                    User.ConsentStatus.GRANTED
                    if decision == GuardianConsent.Decision.AGREE
                    else User.ConsentStatus.REFUSED
                )
                child.save(update_fields=["consent_status"])
            else:
                transaction.on_commit(_display_changed)
    if wrong_code:
        ratelimit.increment(DECISION_IP_SCOPE, ip_ident, 3600)
        raise WrongCode
    logger.info(
        "guardian decision recorded",
        extra={
            "user_id": child.pk,
            "decision": decision,
            "consent_id": consent.pk,
            "scope": consent.scope,
        },
    )
    return consent


def _display_changed() -> None:
    display_consent_changed.send(sender=GuardianConsent)


def needs_guardian_for_display(child: User, today=None) -> bool:
    """Whether `child`'s works need a guardian's display consent to appear publicly: under
    `KEPU_GUARDIAN_CONSENT_AGE` today by the birth month, or, with no birth month known, an
    account that needed a guardian."""
    if child.has_birth_month:
        return needs_guardian_consent(child.birth_year, child.birth_month, today)
    return child.consent_status != User.ConsentStatus.NOT_REQUIRED


def display_consent_granted(child: User) -> bool:
    """Whether the latest display record of `child` is a guardian's agreement."""
    latest = (
        GuardianConsent.objects.filter(child=child, scope=GuardianConsent.Scope.DISPLAY)
        .order_by("-decided_at", "-pk")
        .first()
    )
    return latest is not None and latest.decision == GuardianConsent.Decision.AGREE


def withdraw_display_consent(child: User, *, ip_address: str | None = None, now=None):
    """Withdraw the guardian's display consent for `child`'s works, as the child (or the
    guardian with them) may at any time without a code: withdrawing only protects.

    Guarantees: if the latest display record is an agreement, exactly one new immutable
    "refuse" record is written (same guardian phone, current policy version) and the
    anonymous page cache is invalidated after commit, so the works leave public pages at
    once; otherwise nothing changes. Returns the new record or None. Concurrent calls
    write one record (the child's row is locked).
    """
    now = now or timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=child.pk).first()
        latest = (
            GuardianConsent.objects.filter(child=child, scope=GuardianConsent.Scope.DISPLAY)
            .order_by("-decided_at", "-pk")
            .first()
        )
        if latest is None or latest.decision != GuardianConsent.Decision.AGREE:
            return None
        record = GuardianConsent.objects.create(
            child=child,
            guardian_phone=latest.guardian_phone,
            decision=GuardianConsent.Decision.REFUSE,
            scope=GuardianConsent.Scope.DISPLAY,
            policy_version=settings.KEPU_CONSENT_POLICY_VERSION,
            decided_at=max(now, latest.decided_at),
            ip_address=ip_address or None,
        )
        transaction.on_commit(_display_changed)
    logger.info("display consent withdrawn", extra={"user_id": child.pk, "consent_id": record.pk})
    return record


def latest_open_request(
    child: User, now=None, scope: str = GuardianConsent.Scope.ACCOUNT
) -> GuardianConsentRequest | None:
    """The child's most recent request (for `scope`) the guardian can still answer, if any."""
    now = now or timezone.now()
    return (
        GuardianConsentRequest.objects.filter(
            child=child,
            scope=scope,
            used_at__isnull=True,
            expires_at__gt=now,
            failed_attempts__lt=settings.KEPU_GUARDIAN_MAX_CODE_ATTEMPTS,
        )
        .order_by("-created_at")
        .first()
    )
