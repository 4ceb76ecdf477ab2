"""Keeps accounts that are not yet allowed to do anything on the few pages they may use."""

from urllib.parse import urlencode

from allauth.core.exceptions import RateLimited
from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

# Pages an account waiting for (or refused) guardian consent may still use.
CONSENT_ALLOWED = frozenset(
    {
        "accounts:consent",
        "accounts:delete",
        "accounts:guardian",
        "account_logout",
        "text_size",
    }
)
# Pages an account without a birth month (WeChat sign-up, createsuperuser) may use.
AGE_ALLOWED = frozenset(
    {
        "accounts:age",
        "accounts:delete",
        "accounts:export",
        "account_logout",
        "text_size",
    }
)


class PendingConsentMiddleware:
    """Keeps an under-14 account waiting for its guardian's consent away from everything else.

    Signed-in, non-staff accounts that are waiting for (or were refused) guardian consent
    reach only `CONSENT_ALLOWED`; every other request is redirected to the waiting page.
    Accounts without a birth month are sent to the age step first (`AGE_ALLOWED`). Static
    and media files and the health check are never touched; staff are unaffected.

    It also turns allauth's `RateLimited` exception, which some allauth flows let escape
    (a repeated sign-up with the same number within a minute), into a 429 page instead of
    a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt_prefixes = tuple(
            p for p in (settings.STATIC_URL, settings.MEDIA_URL, "/healthz") if p
        )

    def __call__(self, request):
        redirect = self._redirect_for(request)
        if redirect is not None:
            return redirect
        return self.get_response(request)

    def _redirect_for(self, request):
        if request.path_info.startswith(self.exempt_prefixes):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_staff:
            return None
        if user.is_waiting_for_guardian:
            allowed, target = CONSENT_ALLOWED, "accounts:consent"
        elif not user.has_birth_month:
            allowed, target = AGE_ALLOWED, "accounts:age"
        else:
            return None
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            view_name = None
        if view_name in allowed:
            return None
        url = reverse(target)
        if target == "accounts:age" and request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return HttpResponseRedirect(url)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return render(
                request,
                "accounts/rate_limited.html",
                {"message": _("Too many attempts. Please wait a minute and try again.")},
                status=429,
            )
        return None
