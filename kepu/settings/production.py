"""Production: PostgreSQL, Redis (cache and Celery broker), HTTPS. Refuses to start unconfigured."""

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_required

DEBUG = False
SECRET_KEY = env_required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    env_required("DJANGO_ALLOWED_HOSTS")
env_required("DATABASE_URL")
env_required("REDIS_URL")
# Every QR code, certificate and text message links here (kepu/public_url.py).
KEPU_BASE_URL = env_required("KEPU_BASE_URL")
WAGTAILADMIN_BASE_URL = KEPU_BASE_URL
CELERY_TASK_ALWAYS_EAGER = False

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

SILENCED_SYSTEM_CHECKS = [
    *SILENCED_SYSTEM_CHECKS,  # noqa: F405
    # Wagtail's page preview frames the site itself, so SAMEORIGIN rather than DENY.
    "security.W019",
    # Joining the HSTS preload list is an operator's decision (DJANGO_SECURE_HSTS_PRELOAD).
    "security.W021",
]
