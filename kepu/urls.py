import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from accounts.views.admin_login import AdminLoginView, django_admin_login
from content import cache as page_cache
from content import views as content_views
from content.feeds import SiteFeed
from content.sitemaps import PublicSitemap
from kepu import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("preferences/text-size/", views.text_size, name="text_size"),
    # The Wagtail admin's sign-in, guarded like every password check (accounts/lockout/),
    # before Wagtail's URLs.
    path("admin/login/", AdminLoginView.as_view(), name="wagtailadmin_login"),
    path("admin/", include(wagtailadmin_urls)),
    # One guarded sign-in and one guarded password change (accounts/lockout/): the Django
    # admin's own would let anyone test passwords around the lockout.
    path("django-admin/login/", django_admin_login, name="django_admin_login"),
    path(
        "django-admin/password_change/",
        RedirectView.as_view(pattern_name="account_change_password"),
        name="django_admin_password_change",
    ),
    path("django-admin/", admin.site.urls),
    # Wagtail's password forms, with a return address that cannot fail (content/views.py).
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        content_views.document_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        content_views.page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    # Profile (/me/), the age step (/accounts/age/) and the guardian link (/guardian/…/).
    path("", include("accounts.urls")),
    # Search page and suggestions (search/urls.py).
    path("search/", include("search.urls")),
    path("quiz/", include("competitions.quizzes.urls")),
    path("contest/", include("competitions.submissions.urls")),
    path("judge/", include("competitions.judging.urls")),
    path("vote/", include("competitions.voting.urls")),
    path("popularity/", include("competitions.voting.popularity.urls")),
    # Book drift: copies (/d/<code>), campaigns and books (/drift/…), /me/books/.
    path("", include("competitions.bookdrift.urls")),
    path("feed/", SiteFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": {"wagtail": PublicSitemap}}, name="sitemap"),
    path("robots.txt", content_views.robots_txt, name="robots_txt"),
    # Share cards and the WeChat JS-SDK signature (content/sharing/).
    path("share/", include("content.sharing.urls")),
    # Poster short links (/s/<code>), page QR codes (/qr/page/<id>.svg), view beacons (/v/<id>).
    path("", include("content.reach.urls")),
]

# --- Benchmarks: the ceiling view (bench/views.py), only when KEPU_BENCH_CEILING is on ----------
if settings.KEPU_BENCH_CEILING:
    from bench.views import ceiling

    urlpatterns.insert(0, path("bench/ceiling/", ceiling, name="bench_ceiling"))

# Public media through Django (byte ranges for phones' video players) when no web server in
# front serves them: the embedded default, or KEPU_SERVE_MEDIA in production.
if (settings.DEBUG or settings.KEPU_SERVE_MEDIA) and settings.MEDIA_URL.startswith("/"):
    from kepu.media import serve_media

    urlpatterns.append(
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", serve_media, name="media"
        )
    )

# Wagtail's page serving, with anonymous readers served from the page cache.
urlpatterns += [
    *wagtail_urls.urlpatterns[:-1],
    re_path(wagtail_urls.serve_pattern, page_cache.serve, name="wagtail_serve"),
]

handler400 = "kepu.views.bad_request"
handler403 = "kepu.views.permission_denied"
handler404 = "kepu.views.page_not_found"
handler500 = "kepu.views.server_error"
