"""Site-wide views: health, reader preferences and error pages."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .context_processors import LARGE_TEXT_COOKIE

logger = logging.getLogger(__name__)


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    cache.set("healthz", "1", 10)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not return the value just written")
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from kepu.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@never_cache
def healthz(request):
    """Reports database, cache and broker status; 503 if any of them is down."""
    checks = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}
    report = {}
    healthy = True
    for name, check in checks.items():
        try:
            report[name] = check()
        except Exception as exc:
            healthy = False
            report[name] = "error"
            logger.warning("health check failed", extra={"component": name, "error": str(exc)})
    report["status"] = "ok" if healthy else "error"
    return JsonResponse(report, status=200 if healthy else 503)


@csrf_exempt
@require_POST
def text_size(request):
    """Switches large-text mode (适老化) on or off; persists in a cookie for a year.

    CSRF-exempt on purpose: it only sets a display preference, and a token in every page's
    header would make anonymous pages uncacheable.

    Works as a plain form post without JavaScript; the script on the page does the same
    through fetch and updates the page in place.
    """
    large = request.POST.get("large") == "1"
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        LARGE_TEXT_COOKIE,
        "1" if large else "0",
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=False,
    )
    return response


def _error(request, status: int, title: str, message: str):
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


def bad_request(request, exception=None):
    return _error(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request, exception=None):
    return _error(
        request, 403, _("Access denied"), _("You do not have permission to view this page.")
    )


def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        _("Page not found"),
        _("The page you are looking for does not exist or has been moved."),
    )


def server_error(request):
    # Rendered without context processors that could themselves fail.
    return render(request, "errors/500.html", status=500)


def csrf_failure(request, reason=""):
    return _error(
        request,
        403,
        _("Form expired"),
        _(
            "Your session has expired or the form was opened in another window. "
            "Go back, refresh the page and try again."
        ),
    )
