from functools import wraps

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views
from wagtail.documents.views import serve as wagtail_documents

from kepu.public_url import public_url


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    """Keeps crawlers out of the admin, accounts and search, and points them at the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /accounts/",
        "Disallow: /me/",
        "Disallow: /search/",
        f"Sitemap: {public_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _return_url_is_a_path(view):
    """Wagtail's password forms (restricted pages and documents) hand the posted return_url
    to redirect(), which reads a word without "/" or "." as the name of a view and fails with
    a 500. Anything that is not a path on this site is replaced by the home page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not request.POST.get("return_url", "").startswith("/"):
            post = request.POST.copy()
            post["return_url"] = "/"
            request.POST = post
        return view(request, *args, **kwargs)

    return wrapper


page_password = _return_url_is_a_path(wagtail_views.authenticate_with_password)
document_password = _return_url_is_a_path(wagtail_documents.authenticate_with_password)
