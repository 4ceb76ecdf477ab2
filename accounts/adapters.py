"""allauth adapters: phone numbers on `User`, SMS through `accounts.sms`, the age step first."""

import logging
import secrets
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kepu import ratelimit
from kepu.http import client_ip
from kepu.public_url import public_base_url, rebase

from .masking import mask_email, mask_phone
from .models import User
from .phones import PhoneField, normalize_phone, parse_phone
from .signup import remembered_birth_month, take_birth_month_for_signup
from .sms import SMSRateLimited, send_sms

logger = logging.getLogger(__name__)


class PublicSite(NamedTuple):
    """The site as allauth's e-mail templates name it (`current_site.name`, `.domain`)."""

    name: str
    domain: str


def _send(phone: str, message: str, template: str, params: dict | None = None) -> None:
    try:
        send_sms(phone, message, template=template, params=params)
    except SMSRateLimited:
        # allauth's own per-number limits normally stop people earlier; when this one bites,
        # the text is dropped and the person is told why no code will come.
        logger.warning("sms dropped by rate limit", extra={"phone": mask_phone(phone)})
        if context.request is not None:
            messages.error(
                context.request,
                gettext(
                    "This number has received too many text messages. Please wait "
                    "%(minutes)d minutes and try again."
                )
                % {"minutes": settings.KEPU_SMS_WINDOW_SECONDS // 60},
            )
    except ratelimit.RateLimitUnavailable:
        # Redis is down: refuse visibly (the 503 page says texts are paused) rather than
        # claim a code is on its way.
        raise
    except Exception:
        # A gateway outage: the person can ask for a new code; a server error helps nobody.
        logger.exception("sms sending failed", extra={"phone": mask_phone(phone)})


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "incorrect_code": _("The code is not correct. Check the message and try again."),
        # Re-authentication and password change: say plainly that the password was wrong.
        "incorrect_password": _("The password is not correct."),
        "enter_current_password": _("The password is not correct."),
        # allauth says "too many failed login attempts" for every limit it has. Password
        # sign-in is guarded by accounts/lockout/ (its own messages; allauth's "login_failed"
        # limit is off), and requests for codes get their own message (forms.py), so what
        # is left under this key is a code typed wrong too many times.
        "too_many_login_attempts": _("The code was typed wrong too many times. Ask for a new one."),
        # Only asking again for a code (text message or e-mail) answers with this one.
        "rate_limited": _(
            "Codes were requested too often. Please wait a few minutes and try again."
        ),
        # Sign-in is by phone or e-mail; "username" would only confuse.
        "username_password_mismatch": _(
            "The mobile number, e-mail address or password is not correct."
        ),
    }

    def get_client_ip(self, request):
        return client_ip(request)

    def clean_email(self, email: str) -> str:
        # Django's validator lets through domains that no mail can be sent to ("b\ufffd.com"):
        # sending then failed with a 500 (sign-up, added addresses, password reset).
        email = super().clean_email(email)
        try:
            email.rpartition("@")[2].encode("idna")
        except UnicodeError as exc:
            raise ValidationError(gettext("Enter a valid email address.")) from exc
        return email

    # --- sign-up --------------------------------------------------------------------------

    def is_open_for_signup(self, request):
        """Sign-up starts with the age step: without a birth month in the session, go there."""
        if remembered_birth_month(request) is None:
            query = urlencode({"next": request.get_full_path()})
            raise ImmediateHttpResponse(HttpResponseRedirect(f"{reverse('accounts:age')}?{query}"))
        return True

    def new_user(self, request):
        user = super().new_user(request)
        take_birth_month_for_signup(request, user)
        return user

    def populate_username(self, request, user):
        # People sign in by phone or e-mail; the username only has to be unique. An opaque
        # one keeps e-mail addresses and numbers out of places that show usernames.
        if not user.username:
            user.username = generate_username()

    # --- phone numbers (the hooks allauth needs for ACCOUNT_LOGIN_METHODS "phone") ---------

    def phone_form_field(self, **kwargs):
        return PhoneField(**kwargs)

    def clean_phone(self, phone):
        return normalize_phone(phone)

    def set_phone(self, user, phone, verified):
        user.phone = normalize_phone(phone)
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user, phone):
        if user.phone != parse_phone(phone):
            return
        user.phone_verified = True
        user.save(update_fields=["phone_verified"])

    def get_user_by_phone(self, phone):
        normalised = parse_phone(phone)
        if normalised is None:
            return None
        return User.objects.filter(phone=normalised).first()

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        message = gettext(
            "[%(site)s] Your verification code is %(code)s. Do not share it with anyone. "
            "If you did not ask for it, ignore this message."
        ) % {"site": settings.WAGTAIL_SITE_NAME, "code": code}
        _send(phone, message, "verification_code", {"code": code})

    # The links allauth puts in its e-mails, built from the request's host.
    LINKS_IN_MAIL = ("activate_url", "password_reset_url", "signup_url")

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails, with their links and the site they name on the public address
        (KEPU_BASE_URL): the request's host may be an internal name or a proxy's."""
        for name in self.LINKS_IN_MAIL:
            if context.get(name):
                context[name] = rebase(context[name])
        context.setdefault(
            "current_site",
            PublicSite(name=settings.WAGTAIL_SITE_NAME, domain=urlsplit(public_base_url()).netloc),
        )
        return super().send_mail(template_prefix, email, context)

    def send_password_reset_sms(self, phone, code):
        message = gettext(
            "[%(site)s] Your code to reset your password is %(code)s. Do not share it with "
            "anyone. If you did not ask for it, ignore this message: your password stays."
        ) % {"site": settings.WAGTAIL_SITE_NAME, "code": code}
        _send(phone, message, "password_reset_code", {"code": code})

    def send_unknown_account_sms(self, phone, **kwargs):
        message = gettext(
            "[%(site)s] Someone asked for a sign-in code for this number, but no account uses "
            "it. If it was you, sign up first. Otherwise ignore this message."
        ) % {"site": settings.WAGTAIL_SITE_NAME}
        _send(phone, message, "unknown_account")

    def send_account_already_exists_sms(self, phone):
        message = gettext(
            "[%(site)s] Someone tried to sign up with this number, but it already has an "
            "account. Sign in instead. If it was not you, ignore this message."
        ) % {"site": settings.WAGTAIL_SITE_NAME}
        _send(phone, message, "account_exists")


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        # WeChat sign-up cannot pause for the age step in the middle of the provider's
        # round trip; the birth month is asked right after (PendingConsentMiddleware).
        return True

    def get_app(self, request, provider, client_id=None):
        # The WeChat URLs exist even where WECHAT_APP_ID is not set: there they are pages
        # that do not exist (404), not server errors.
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist as exc:
            raise Http404(gettext("This sign-in method is not available.")) from exc


def user_display(user) -> str:
    """How allauth names a user in messages: never the opaque username, never a full number."""
    if user.display_name:
        return user.display_name
    if user.phone:
        return mask_phone(user.phone)
    if user.email:
        return mask_email(user.email)
    return user.username


def generate_username() -> str:
    while True:
        candidate = f"u{secrets.token_hex(6)}"
        if not User.objects.filter(username=candidate).exists():
            return candidate
