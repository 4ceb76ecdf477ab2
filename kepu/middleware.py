"""Project middleware: response headers Django's SecurityMiddleware does not set, and the
lean path for the few hot requests that prove on their own who is asking."""

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.module_loading import import_string


class SecurityHeadersMiddleware:
    """Adds a content security policy and a permissions policy to every response.

    Public pages get a strict policy (no inline script, no foreign hosts); the Wagtail admin,
    which ships inline scripts of its own, gets a looser one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            is_admin = request.path.startswith(settings.KEPU_ADMIN_PATH_PREFIXES)
            response["Content-Security-Policy"] = (
                settings.KEPU_ADMIN_CSP if is_admin else settings.KEPU_CSP
            )
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


def lean(*, accepts):
    """Marks a view of `KEPU_LEAN_URLCONF`: LeanViewMiddleware serves a POST with it when
    `accepts(request, **kwargs)` is true. The view may still return None, having changed
    nothing, to send the request down the full path (e.g. to show a refusal as a message)."""

    def mark(view):
        view.lean_accepts = accepts
        return view

    return mark


class _FullPath(Exception):
    """A lean view declined the request after all."""


class LeanViewMiddleware:
    """Serves the POSTs of `KEPU_LEAN_URLCONF` (a quiz's answer batches and submit) without
    the session, authentication, CSRF cookie check, messages, allauth and consent middleware
    when their view accepts them: such a request carries its own proof of who sent it (the
    attempt token, competitions/quizzes/attempt_tokens.py), so reading the session from
    Redis and the account from PostgreSQL would add nothing but their cost.

    Sits after the security headers middleware, so lean responses get the same headers; the
    view runs inside `KEPU_LEAN_MIDDLEWARE` (language, site, CSRF cookie for the page's
    forms, frame options). Every other request, and every request its view declines, takes
    the full path unchanged.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.urlconf = settings.KEPU_LEAN_URLCONF
        handler = self._view
        for path in reversed(settings.KEPU_LEAN_MIDDLEWARE):
            handler = import_string(path)(handler)
        self.lean_response = handler

    def __call__(self, request):
        if request.method == "POST" and self.urlconf:
            try:
                match = resolve(request.path_info, self.urlconf)
            except Resolver404:
                match = None
            if match is not None and match.func.lean_accepts(request, *match.args, **match.kwargs):
                request.resolver_match = match
                try:
                    return self.lean_response(request)
                except _FullPath:
                    request.resolver_match = None
        return self.get_response(request)

    @staticmethod
    def _view(request):
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        if response is None:
            raise _FullPath
        return response
