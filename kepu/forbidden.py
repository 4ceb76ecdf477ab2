"""Refusals in the project's own Wagtail admin views: a 403 page that says why."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse


def explained_403(message):
    """A view decorator: PermissionDenied becomes a 403 page saying `message`.

    Wagtail's own views redirect refused users to the dashboard with a flash message; our
    admin views answer 403 with the reason instead, so a refusal is visible and testable.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied:
                return TemplateResponse(
                    request, "content/admin/forbidden.html", {"message": message}, status=403
                )

        return wrapped

    return decorator
