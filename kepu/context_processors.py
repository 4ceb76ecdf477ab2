from django.conf import settings

LARGE_TEXT_COOKIE = "kepu_large_text"


def reading_preferences(request):
    """Reader preferences that every page template needs (large-text mode, 适老化)."""
    return {
        "large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
