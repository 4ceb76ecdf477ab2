"""Site-wide views: health, reader preferences and error pages."""

import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .cache import CacheUnavailable
from .cache import is_outage as is_cache_outage
from .cache import status as cache_status
from .context_processors import LARGE_TEXT_COOKIE
from .ratelimit import RateLimitUnavailable

logger = logging.getLogger(__name__)


# --- health ------------------------------------------------------------------------------------
# What each component's loss means for the people using the site (docs/reliability.md).
EFFECTS = {
    "database": gettext_lazy(
        "Nothing can be saved or shown: every page asks people to try again in a few "
        "minutes until the database is back."
    ),
    "cache": gettext_lazy(
        "Pages are served without the cache (slower) and sessions are read from the "
        "database; reading, signing in and quiz-taking continue. Voting and text messages "
        "are refused until it is back."
    ),
    "broker": gettext_lazy(
        "Background work (certificates, search indexing, notifications) waits in the "
        "outbox and is delivered when the broker is back; nothing is lost."
    ),
}


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    state = cache_status()
    if not state["available"]:
        raise RuntimeError(state["last_error"] or "unreachable")
    cache.set("healthz", "1", 10)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not return the value just written")
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from kepu.celery import app

    with app.connection_for_write() as conn:
        # One attempt, bounded by the broker connection timeout: a probe must answer quickly.
        conn.ensure_connection(max_retries=0, timeout=2)
    return "ok"


def health_report() -> dict:
    """Each component's state and the site's: "ok", "degraded" (serving without the cache or
    the broker) or "down" (no database: nothing can be served)."""
    checks = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}
    report = {}
    for name, check in checks.items():
        try:
            report[name] = check()
        except Exception as exc:
            report[name] = "error"
            logger.warning("health check failed", extra={"component": name, "error": str(exc)})
    failing = [name for name in checks if report[name] == "error"]
    if "database" in failing:
        report["status"] = "down"
    else:
        report["status"] = "degraded" if failing else "ok"
    report["degraded"] = failing
    return report


@never_cache
def healthz(request):
    """The site's health for load balancers (JSON) and staff (`?format=html`, in Chinese).

    200 while the site can serve, degraded or not; 503 only when it cannot (the database is
    down), so a load balancer takes an instance out of rotation only when that helps.
    """
    report = health_report()
    status = 503 if report["status"] == "down" else 200
    if request.GET.get("format") == "html":
        rows = [
            {"name": label, "ok": report[name] != "error", "effect": EFFECTS[name]}
            for name, label in (
                ("database", _("Database")),
                ("cache", _("Cache (Redis)")),
                ("broker", _("Task queue (Celery broker)")),
            )
        ]
        html = loader.render_to_string(
            "health/status.html", {"report": report, "rows": rows}, request=None
        )
        return HttpResponse(html, status=status)
    return JsonResponse(report, status=status)


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


# Errors that mean "a service the site needs is briefly unavailable", not a bug: answered
# with 503 and a Chinese "try again" page instead of the 500 page.
_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, CacheUnavailable)


def _unavailable_message(exception) -> str | None:
    if isinstance(exception, RateLimitUnavailable):
        return str(exception.message)
    if isinstance(exception, _UNAVAILABLE_ERRORS) or (
        exception is not None and is_cache_outage(exception)
    ):
        return _("The service is busy. Please try again in a few minutes.")
    return None


def service_unavailable(request, message: str):
    """A 503 the person can act on: JSON for scripts (quiz autosave, votes), a light page
    otherwise; rendered without context processors or the database, which may be down."""
    wants_json = "application/json" in request.headers.get("Accept", "") or (
        request.content_type == "application/json"
    )
    if wants_json:
        response = JsonResponse(
            {"ok": False, "error": message, "message": message, "retry": True}, status=503
        )
    else:
        html = loader.render_to_string("errors/503.html", {"message": message}, request=None)
        response = HttpResponse(html, status=503)
    response["Retry-After"] = "5"
    return response


def server_error(request):
    """The 500 handler; a database outage or an uncountable rate limit becomes a 503."""
    message = _unavailable_message(sys.exc_info()[1])
    if message is not None:
        return service_unavailable(request, message)
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
