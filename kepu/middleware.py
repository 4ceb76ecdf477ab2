"""Response headers that Django's SecurityMiddleware does not set."""

from django.conf import settings


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
