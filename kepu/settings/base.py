"""Settings shared by every mode. Mode files (dev, test, production) adjust these."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str
from .object_storage import csp_sources, object_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Local state of the embedded mode (SQLite database, media files); never committed.
VAR_DIR = Path(env_str("KEPU_VAR_DIR") or BASE_DIR / "var")

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-development-key-do-not-use-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Project apps first so their templates override those of the libraries.
    "accounts",
    "content",
    "competitions.core",
    "competitions.quizzes",
    "competitions.submissions",
    "competitions.judging",
    "competitions.voting",
    "competitions.voting.popularity",
    "competitions.bookdrift",
    "search",
    "outbox",
    "notifications",
    "dashboard",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.weixin",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kepu.middleware.SecurityHeadersMiddleware",
    # Quiz batches and submits carrying their attempt token skip what follows (but its own list).
    "kepu.middleware.LeanViewMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "content.sites.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.PendingConsentMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "kepu.urls"
WSGI_APPLICATION = "kepu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "kepu.context_processors.reading_preferences",
                "content.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL selects PostgreSQL in production; the embedded default is SQLite in WAL mode.
PREPARED_STATEMENTS = {"server_side_binding": True, "prepare_threshold": 5}
# Django's backend, with bulk writes batched under the server-side parameter limit and `__in`
# a list of values sent as one array parameter (kepu/postgresql/).
POSTGRESQL_ENGINE = "kepu.postgresql"
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # An unreachable database host fails a request within seconds (a 503 page), instead
        # of holding a web thread for the operating system's TCP timeout.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
        )
        # Behind PgBouncer in transaction pooling mode (deploy/pgbouncer/) consecutive
        # transactions may run on different server connections, so a server-side cursor
        # (QuerySet.iterator() outside a transaction) would vanish between two fetches.
        pgbouncer = env_bool("DATABASE_PGBOUNCER", False)
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = pgbouncer
        # Prepared statements: parameters bound on the server, and a statement a connection
        # has run 5 times prepared there, so its later runs skip parsing and planning. A
        # PgBouncer in transaction mode must track them (1.22 or later with
        # max_prepared_statements, docs/deployment.md), hence off by default behind one.
        if env_bool("DATABASE_PREPARED_STATEMENTS", not pgbouncer):
            DATABASES["default"]["OPTIONS"] |= PREPARED_STATEMENTS
        DATABASES["default"]["ENGINE"] = POSTGRESQL_ENGINE
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "kepu.sqlite3",
            "OPTIONS": {
                # WAL lets readers proceed while a writer commits; IMMEDIATE avoids the
                # "database is locked" upgrade deadlock between two writing transactions.
                # Memory-mapped reads (up to 256 MB of the file, shared through the OS page
                # cache) spare a system call and a copy for every page a search index lookup
                # reads.
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=5000;"
                    "PRAGMA mmap_size=268435456;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "kepu.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kepu",
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# While Redis is unreachable the site runs without it (kepu/cache.py, docs/reliability.md):
# each call waits at most this long for a connection or a reply, and after a failure the
# process leaves Redis alone this long before one call tries again.
KEPU_REDIS_TIMEOUT_MS = env_int("KEPU_REDIS_TIMEOUT_MS", 500)
KEPU_REDIS_RETRY_MS = env_int("KEPU_REDIS_RETRY_MS", 1000)

# --- Background work --------------------------------------------------------------------------
# Celery runs the project's tasks. Work that must follow a commit goes through the outbox
# (outbox/), which records it in the same transaction and hands it to Celery afterwards.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# Celery schedules in TIME_ZONE (it reads Django's setting when CELERY_TIMEZONE is unset).
# A request hands work to the broker after its commit (outbox.services.dispatch) and must not
# wait on a dead or hung broker: one connection attempt, no retries (the outbox relay retries),
# short socket timeouts.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "max_retries": 0,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Page view counts wait in the cache this long before they reach the database.
KEPU_VIEW_FLUSH_SECONDS = env_int("KEPU_VIEW_FLUSH_SECONDS", 60)
CELERY_BEAT_SCHEDULE = {
    "relay-outbox": {"task": "outbox.relay", "schedule": 30.0},
    "publish-scheduled-pages": {"task": "content.publish_scheduled", "schedule": 60.0},
    "finalize-expired-quiz-attempts": {
        "task": "quizzes.finalize_expired_attempts",
        "schedule": 60.0,
    },
    "flush-view-counts": {
        "task": "content.flush_view_counts",
        "schedule": float(KEPU_VIEW_FLUSH_SECONDS),
    },
}
# Wagtail 8 runs its own background work (reference index, search index, file deletion)
# through django-tasks. Route it through the same outbox so it follows the commit and is
# delivered by Celery like everything else (see docs/decisions/background-work.md).
TASKS = {"default": {"BACKEND": "outbox.backends.OutboxTaskBackend"}}
OUTBOX_REDELIVER_AFTER_SECONDS = env_int("OUTBOX_REDELIVER_AFTER_SECONDS", 600)

# --- Authentication (django-allauth) ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
# Sign up with a phone number or an e-mail address (at least one, checked by the signup form),
# so allauth's "one login method must be required" warning does not apply.
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1*", "password2*"]
SILENCED_SYSTEM_CHECKS = ["account.W001"]
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = None
# At least one of phone / e-mail, phone numbers normalised to "+86…" (accounts/forms.py).
# Every form that checks a password is guarded by accounts/lockout/ (the admin's sign-in too,
# below); asking for a sign-in code says plainly when it is asked too often.
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "request_login_code": "accounts.forms.RequestLoginCodeForm",
    "reauthenticate": "accounts.lockout.forms.ReauthenticateForm",
    "change_password": "accounts.lockout.forms.ChangePasswordForm",
}
ACCOUNT_USER_DISPLAY = "accounts.adapters.user_display"
# Text messages get lost on weak connections: let people ask again or fix a mistyped number.
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_CHANGE = True
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 300
# Six digits, as every Chinese service texts them (typed or auto-filled on a phone).
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGIN_BY_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Failed passwords are counted by accounts/lockout/, per account and address: allauth's
    # per-login limit would let anyone lock a user out by typing their number.
    "login_failed": None,
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_phone": "1/m/user",
    "verify_phone": "1/m/key",
}
SOCIALACCOUNT_ONLY = False
# WeChat sign-in is wired but stays off until both credentials are configured.
WECHAT_APP_ID = env_str("WECHAT_APP_ID", "")
WECHAT_APP_SECRET = env_str("WECHAT_APP_SECRET", "")
# WeChat JS-SDK share settings (content/sharing/wechat.py): an official account's (公众号)
# credentials; without them pages still offer the share card and the 右上角分享 hint.
WECHAT_MP_APP_ID = env_str("WECHAT_MP_APP_ID", "")
WECHAT_MP_APP_SECRET = env_str("WECHAT_MP_APP_SECRET", "")
WECHAT_API_BASE = env_str("WECHAT_API_BASE", "https://api.weixin.qq.com")
SOCIALACCOUNT_PROVIDERS = {}
if WECHAT_APP_ID and WECHAT_APP_SECRET:
    SOCIALACCOUNT_PROVIDERS["weixin"] = {
        "APPS": [{"client_id": WECHAT_APP_ID, "secret": WECHAT_APP_SECRET}],
        "SCOPE": ["snsapi_login"],
    }

# Text messages (verification codes) go through a pluggable sender; the console one logs them.
KEPU_SMS_BACKEND = env_str("KEPU_SMS_BACKEND", "accounts.sms.ConsoleSMSBackend")
# At most this many texts to one phone number per window, whatever asks for them.
KEPU_SMS_MAX_PER_PHONE = 8
KEPU_SMS_WINDOW_SECONDS = 3600
# Gateways in China (accounts/sms_providers/): the approved signature, a template id per
# message kind ("verification_code=SMS_1234,prize_won=SMS_5678"), and each one's keys.
KEPU_SMS_SIGN_NAME = env_str("KEPU_SMS_SIGN_NAME", "")
KEPU_SMS_TEMPLATES = dict(
    item.split("=", 1) for item in env_list("KEPU_SMS_TEMPLATES") if "=" in item
)
KEPU_SMS_ALIYUN_ACCESS_KEY_ID = env_str("KEPU_SMS_ALIYUN_ACCESS_KEY_ID", "")
KEPU_SMS_ALIYUN_ACCESS_KEY_SECRET = env_str("KEPU_SMS_ALIYUN_ACCESS_KEY_SECRET", "")
KEPU_SMS_ALIYUN_ENDPOINT = env_str("KEPU_SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
KEPU_SMS_TENCENT_SECRET_ID = env_str("KEPU_SMS_TENCENT_SECRET_ID", "")
KEPU_SMS_TENCENT_SECRET_KEY = env_str("KEPU_SMS_TENCENT_SECRET_KEY", "")
KEPU_SMS_TENCENT_SDK_APP_ID = env_str("KEPU_SMS_TENCENT_SDK_APP_ID", "")
KEPU_SMS_TENCENT_REGION = env_str("KEPU_SMS_TENCENT_REGION", "ap-guangzhou")
KEPU_SMS_TENCENT_ENDPOINT = env_str("KEPU_SMS_TENCENT_ENDPOINT", "https://sms.tencentcloudapi.com/")
# Notifications (prize and award winners, judges' reminders) leave at most this many a minute.
KEPU_NOTIFY_SMS_PER_MINUTE = env_int("KEPU_NOTIFY_SMS_PER_MINUTE", 60)
KEPU_NOTIFY_EMAILS_PER_MINUTE = env_int("KEPU_NOTIFY_EMAILS_PER_MINUTE", 120)
# Age below which a guardian must consent before the account may be used.
KEPU_GUARDIAN_CONSENT_AGE = 14
# The guardian's link and code: lifetime, wrong codes per request, decisions per client IP
# per hour, and requests a child may send per hour.
KEPU_GUARDIAN_REQUEST_TTL_MINUTES = 30
KEPU_GUARDIAN_MAX_CODE_ATTEMPTS = 5
KEPU_GUARDIAN_MAX_ATTEMPTS_PER_IP = 30
KEPU_GUARDIAN_REQUESTS_PER_HOUR = 3
# Version of the consent text guardians read (templates/accounts/includes/consent_text.html).
KEPU_CONSENT_POLICY_VERSION = "2026-11"

# Client IPs: X-Forwarded-For is honoured only when the direct peer is one of these proxies.
KEPU_TRUSTED_PROXIES = env_list("KEPU_TRUSTED_PROXIES", [])
# Password sign-in, on the site and in the admin (accounts/lockout/policy.py): wrong passwords
# one address may try for one account per window; wrong passwords per account per day from
# all addresses before only the addresses it signed in from before may go on (after a captcha).
KEPU_SIGNIN_MAX_FAILURES = env_int("KEPU_SIGNIN_MAX_FAILURES", 5)
KEPU_SIGNIN_WINDOW_SECONDS = env_int("KEPU_SIGNIN_WINDOW_SECONDS", 900)
KEPU_SIGNIN_ACCOUNT_MAX_FAILURES = env_int("KEPU_SIGNIN_ACCOUNT_MAX_FAILURES", 100)
# How long a captcha question (kepu/captcha.py) may be answered.
KEPU_CAPTCHA_SECONDS = env_int("KEPU_CAPTCHA_SECONDS", 600)

# Reach (content/reach/view_counts.py, content/reach/shortlinks.py): view beacons beyond the
# per-IP limit per minute are not counted, and scans beyond the per-IP, per-poster limit per
# hour are not recorded (the reader is redirected all the same). Mobile carriers put many phones
# behind one address, so the limits are generous.
KEPU_VIEW_BEACONS_PER_IP_PER_MINUTE = env_int("KEPU_VIEW_BEACONS_PER_IP_PER_MINUTE", 120)
KEPU_POSTER_SCANS_PER_IP_PER_HOUR = env_int("KEPU_POSTER_SCANS_PER_IP_PER_HOUR", 60)

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese"))]
# The site's days (daily quiz and vote limits, ages, campaign dates, statistics) begin at
# midnight here: kepu/days.py.
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# The project's catalogue, then its wording for django-allauth's pages (locale/allauth/, which
# says why), then Simplified Chinese for the Wagtail admin strings Wagtail's own catalogue
# lacks (both domains: templates and the admin's JavaScript). The first path that has a
# message wins, before any app's own catalogue.
LOCALE_PATHS = [
    BASE_DIR / "locale",
    BASE_DIR / "locale" / "allauth",
    BASE_DIR / "locale" / "wagtail",
]
# The admin speaks Chinese and keeps Beijing time. With one language and one zone Wagtail
# leaves both choices off the account page: it names languages in their own tongue
# ("English") and zones by their IANA names ("Asia/Shanghai"), which it lets no one translate,
# and would otherwise list every zone the system has (Debian's "localtime" alias among
# them, which its JavaScript cannot name and fails on).
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env_str("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or VAR_DIR / "media")
# Files that must never be served as they are (original video uploads, later public
# uploads): outside MEDIA_ROOT, so neither the web server nor /media/ can reach them.
KEPU_PRIVATE_MEDIA_ROOT = Path(env_str("KEPU_PRIVATE_MEDIA_ROOT") or VAR_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "kepu.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# S3-compatible object storage instead of the local disk when KEPU_S3_ENDPOINT_URL is set
# (kepu/settings/object_storage.py, docs/storage.md).
OBJECT_STORAGE = object_storage()
if OBJECT_STORAGE is not None:
    STORAGES = {**STORAGES, **OBJECT_STORAGE.storages}
# How long a presigned link to a private file stays valid (kepu/downloads.py): a download,
# and a video played in the page (its player fetches byte ranges with the link as it seeks).
KEPU_S3_SIGNED_URL_SECONDS = OBJECT_STORAGE.signed_url_seconds if OBJECT_STORAGE else 300
KEPU_S3_SIGNED_MEDIA_SECONDS = OBJECT_STORAGE.signed_media_seconds if OBJECT_STORAGE else 14400
# Serve MEDIA_URL from Django with byte ranges (kepu/media.py); on in the embedded default
# (DEBUG), off in production where the web server in front serves media.
KEPU_SERVE_MEDIA = env_bool("KEPU_SERVE_MEDIA", False)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Wagtail ----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env_str("KEPU_SITE_NAME", "科普在线")
# allauth's e-mail subjects start with the site's name, not the host a request came through.
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{WAGTAIL_SITE_NAME}] "
# The public address every absolute link is built from (kepu/public_url.py): QR codes,
# certificates, share cards, e-mails. Phones must be able to reach it.
KEPU_BASE_URL = env_str("KEPU_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = KEPU_BASE_URL
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The admin's sign-in is guarded like the site's (accounts/lockout/). Passwords are changed
# and reset where every check is guarded: /accounts/password/change/ and …/reset/.
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.lockout.forms.AdminLoginForm"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_I18N_ENABLED = False
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("WAGTAILIMAGES_MAX_IMAGE_PIXELS", 40_000_000)
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("WAGTAILDOCS_MAX_UPLOAD_SIZE", 50 * 1024 * 1024)
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# How long an anonymous reader's page stays in the full-page cache (content/cache.py);
# publishing anything invalidates it at once.
KEPU_PAGE_CACHE_SECONDS = env_int("KEPU_PAGE_CACHE_SECONDS", 600)
# Only Chinese video sites, recognised offline (content/embeds.py); other addresses are refused.
WAGTAILEMBEDS_FINDERS = [{"class": "content.embeds.ChineseVideoFinder"}]
# No avatars from foreign hosts (Gravatar is unreachable from China and leaks e-mail hashes).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# System tools (see kepu/system_tools.py); empty means "look on the PATH / in Debian's fonts".
KEPU_FFMPEG = env_str("KEPU_FFMPEG", "")
KEPU_FFPROBE = env_str("KEPU_FFPROBE", "")
KEPU_CJK_FONT = env_str("KEPU_CJK_FONT", "")

# Uploaded videos (content/video/probe.py, content/video/transcoding.py). Uploads larger,
# longer or with a shorter side above KEPU_VIDEO_MAX_SOURCE_HEIGHT are refused; the transcoded MP4's
# shorter side is at most KEPU_VIDEO_MAX_HEIGHT (720 for phones; portrait videos work too).
KEPU_VIDEO_MAX_UPLOAD_MB = env_int("KEPU_VIDEO_MAX_UPLOAD_MB", 500)
KEPU_VIDEO_MAX_SECONDS = env_int("KEPU_VIDEO_MAX_SECONDS", 1800)
KEPU_VIDEO_MAX_HEIGHT = env_int("KEPU_VIDEO_MAX_HEIGHT", 720)
KEPU_VIDEO_MAX_SOURCE_HEIGHT = env_int("KEPU_VIDEO_MAX_SOURCE_HEIGHT", 2160)

# --- Security ---------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions are read from the cache (Redis in production) and written through to the
# database: a signed-in request costs no session query, and losing Redis loses no session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "kepu.views.csrf_failure"
# Content security policy for public pages: no inline script, nothing from foreign hosts.
# Files in object storage come from the buckets' origins (none on the local disk).
_MEDIA, _STATIC, _IMAGES = csp_sources(OBJECT_STORAGE)
KEPU_CSP = (
    f"default-src 'self'; script-src 'self'{_STATIC}; style-src 'self'{_STATIC}; "
    f"img-src 'self' data: blob:{_IMAGES}; media-src 'self' blob:{_MEDIA}; "
    f"font-src 'self'{_STATIC}; connect-src 'self'; frame-src 'self' "
    "https://player.bilibili.com https://v.qq.com https://player.youku.com; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
# The Wagtail admin relies on inline scripts and styles of its own.
KEPU_ADMIN_CSP = (
    f"default-src 'self'; script-src 'self' 'unsafe-inline'{_STATIC}; "
    f"style-src 'self' 'unsafe-inline'{_STATIC}; img-src 'self' data: blob:{_IMAGES}; "
    f"media-src 'self' blob:{_MEDIA}; font-src 'self' data:{_STATIC}; "
    "connect-src 'self'; frame-src 'self' https:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)
KEPU_ADMIN_PATH_PREFIXES = ("/admin/", "/django-admin/")

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "kepu@localhost")

# --- Logging: one line per event, key=value pairs, to stdout ----------------------------------
LOG_LEVEL = env_str("KEPU_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "keyvalue": {"()": "kepu.logging.KeyValueFormatter"},
        "json": {"()": "kepu.logging.JSONFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": env_str("KEPU_LOG_FORMAT", "keyvalue"),
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.utils.autoreload": {"level": "WARNING"},
    },
}

# --- Quizzes ------------------------------------------------------------------------------------
# Network slack after a quiz's time limit before answers stop counting.
KEPU_QUIZ_GRACE_SECONDS = env_int("KEPU_QUIZ_GRACE_SECONDS", 5)
# quiz.js sends the answers not yet saved once they have rested this many seconds without a
# change (a debounce: a phone answering quickly sends them with the submit), but no later than
# KEPU_QUIZ_SAVE_MAX_SECONDS after the oldest of them changed; at once when the page is
# hidden, and with the submit. Meanwhile they wait in local storage.
KEPU_QUIZ_SAVE_DELAY_SECONDS = env_int("KEPU_QUIZ_SAVE_DELAY_SECONDS", 10)
KEPU_QUIZ_SAVE_MAX_SECONDS = env_int("KEPU_QUIZ_SAVE_MAX_SECONDS", 30)
# The lean path (kepu/middleware.py: LeanViewMiddleware): the quiz's batches and submits that
# carry their attempt token, and the middleware they still pass through.
KEPU_LEAN_URLCONF = "competitions.quizzes.lean_urls"
KEPU_LEAN_MIDDLEWARE = [
    "django.middleware.locale.LocaleMiddleware",
    "content.sites.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",  # the cookie for the result page's forms
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


# --- Benchmarks (bench/, scripts/bench; docs/performance.md) ------------------------------------
# Autosaves accepted per client IP per minute (defence in depth; a school or a carrier puts
# many phones behind one address). The benchmark raises it: its load comes from one address.
KEPU_QUIZ_SAVES_PER_IP_PER_MINUTE = env_int("KEPU_QUIZ_SAVES_PER_IP_PER_MINUTE", 1200)
# A participant's rank counts those with a higher score from a cache this many seconds old
# (competitions/quizzes/attempts.py: rank_of); 0 counts them exactly on every result page.
KEPU_QUIZ_RANK_CACHE_SECONDS = env_int("KEPU_QUIZ_RANK_CACHE_SECONDS", 10)
# A trivial view at /bench/ceiling/ (bench/views.py) for the benchmark's ceiling figure.
# Off unless the benchmark turns it on.
KEPU_BENCH_CEILING = env_bool("KEPU_BENCH_CEILING", False)


# --- Quiz question banks: spreadsheet import (competitions/quizzes/banks/importing.py) -------
# At most this many questions per uploaded file, and at most this many megabytes per file.
KEPU_QUIZ_IMPORT_MAX_ROWS = env_int("KEPU_QUIZ_IMPORT_MAX_ROWS", 5000)
KEPU_QUIZ_IMPORT_MAX_BYTES = env_int("KEPU_QUIZ_IMPORT_MAX_MB", 5) * 1024 * 1024


# --- Quizzes: statistics and exports (competitions/quizzes/statistics/) -----------------------
# Organisers' statistics page is cached this long, so many refreshing it cost one query set.
KEPU_QUIZ_STATS_CACHE_SECONDS = env_int("KEPU_QUIZ_STATS_CACHE_SECONDS", 60)
# Exported spreadsheets (private storage) are deleted this many days after they were asked for.
KEPU_QUIZ_EXPORT_KEEP_DAYS = env_int("KEPU_QUIZ_EXPORT_KEEP_DAYS", 7)
CELERY_BEAT_SCHEDULE["delete-expired-quiz-exports"] = {
    "task": "quizzes.delete_expired_exports",
    "schedule": 3600.0,
}


# --- Quiz certificates and share cards ---------------------------------------------------------
# How long drawn certificate PNG/PDFs and share cards stay in the cache. Short on purpose:
# it absorbs repeated taps and downloads, while a campaign's 100,000 certificates would not
# fit in Redis for long; an evicted image is simply drawn again.
KEPU_CERTIFICATE_CACHE_SECONDS = env_int("KEPU_CERTIFICATE_CACHE_SECONDS", 3600)

# --- Submission contests: results exports (competitions/submissions/results/) ------------------
# Exported spreadsheets (private storage; pupils' names and contacts when unmasked) are deleted
# this many days after they were asked for.
KEPU_CONTEST_EXPORT_KEEP_DAYS = env_int("KEPU_CONTEST_EXPORT_KEEP_DAYS", 7)
CELERY_BEAT_SCHEDULE["delete-expired-contest-exports"] = {
    "task": "submissions.delete_expired_contest_exports",
    "schedule": 3600.0,
}


# --- Submission contests: entry files (competitions/submissions/files/) -------------------------
# Origin that serves contest entry files, e.g. "https://files.example.org" (add its host to
# DJANGO_ALLOWED_HOSTS). When set, links to entry files point there with a signed, one-hour
# token and the file view refuses requests on any other host; empty = same origin.
KEPU_UPLOADS_ORIGIN = env_str("KEPU_UPLOADS_ORIGIN", "")
# (contests-finish) Exhibition pages embed displayable entries' images and transcoded videos
# from that origin, so the public pages' CSP allows it for images and media only.
if KEPU_UPLOADS_ORIGIN:
    KEPU_CSP = KEPU_CSP.replace(
        "img-src 'self'", f"img-src 'self' {KEPU_UPLOADS_ORIGIN.rstrip('/')}"
    ).replace("media-src 'self'", f"media-src 'self' {KEPU_UPLOADS_ORIGIN.rstrip('/')}")


# --- Public voting (competitions/voting/) -------------------------------------------------------
# Hard per-minute ceilings (defence in depth; the limits that matter are constraints).
KEPU_VOTING_IP_PER_MINUTE = env_int("KEPU_VOTING_IP_PER_MINUTE", 120)
KEPU_VOTING_USER_PER_MINUTE = env_int("KEPU_VOTING_USER_PER_MINUTE", 20)
# A captcha is asked when an IP address or an account votes more than this in 10 minutes,
# or when the account is younger than KEPU_VOTING_NEW_ACCOUNT_HOURS.
KEPU_VOTING_CAPTCHA_IP_VOTES = env_int("KEPU_VOTING_CAPTCHA_IP_VOTES", 30)
KEPU_VOTING_CAPTCHA_USER_VOTES = env_int("KEPU_VOTING_CAPTCHA_USER_VOTES", 10)
KEPU_VOTING_NEW_ACCOUNT_HOURS = env_int("KEPU_VOTING_NEW_ACCOUNT_HOURS", 24)
# The public popularity ranking is cached this long.
KEPU_VOTING_RANKING_CACHE_SECONDS = env_int("KEPU_VOTING_RANKING_CACHE_SECONDS", 5)
# The dashboard flags a vote when, in the last 24 hours and with at least MIN_VOTES votes, this
# share of them came from brand-new accounts, or one network cast NETWORK_VOTES votes.
KEPU_VOTING_ATTENTION_MIN_VOTES = env_int("KEPU_VOTING_ATTENTION_MIN_VOTES", 20)
KEPU_VOTING_ATTENTION_NEW_ACCOUNT_PERCENT = env_int("KEPU_VOTING_ATTENTION_NEW_ACCOUNT_PERCENT", 30)
KEPU_VOTING_ATTENTION_NETWORK_VOTES = env_int("KEPU_VOTING_ATTENTION_NETWORK_VOTES", 50)


# --- Expert judging: reminders (competitions/judging/reminders.py) ------------------------------
# An organiser can remind a judge at most once per round within this many hours.
KEPU_JUDGE_REMINDER_INTERVAL_HOURS = env_int("KEPU_JUDGE_REMINDER_INTERVAL_HOURS", 24)

# --- Search site: indexing schedule, suggestions, query log (search/) --------------------------
# The reconcile task indexes what a lost update missed (and works whose contest's results
# just opened) and removes what is no longer public.
SEARCH_RECONCILE_SECONDS = env_int("SEARCH_RECONCILE_SECONDS", 900)
CELERY_BEAT_SCHEDULE["search-reconcile"] = {
    "task": "search.reconcile",
    "schedule": float(SEARCH_RECONCILE_SECONDS),
}
CELERY_BEAT_SCHEDULE["search-prune-query-log"] = {
    "task": "search.prune_query_log",
    "schedule": 86400.0,
}
# Suggested terms (dictionary words, synonyms, popular searches, with their pinyin) follow the
# popular searches hourly; word-list edits refresh them at once.
CELERY_BEAT_SCHEDULE["search-refresh-suggestions"] = {
    "task": "search.refresh_suggestions",
    "schedule": 3600.0,
}
# Suggestion requests per client IP per minute (defence in depth; phones share addresses).
SEARCH_SUGGEST_PER_MINUTE = env_int("SEARCH_SUGGEST_PER_MINUTE", 120)
# Result clicks counted per client IP per minute (the results page's beacon); beyond, ignored.
SEARCH_CLICKS_PER_MINUTE = env_int("SEARCH_CLICKS_PER_MINUTE", 30)
# The anonymised query log (popular searches, searches without results) keeps this many days.
SEARCH_QUERY_LOG_KEEP_DAYS = env_int("SEARCH_QUERY_LOG_KEEP_DAYS", 180)


# --- Search backends (search/backends/) ------------------------------------------------------
# Elasticsearch cluster, e.g. "http://127.0.0.1:9200"; empty = the embedded backend (SQLite
# FTS5 or PostgreSQL full text in the site's own database).
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "")
# Index names start with this ("kepu-search" alias over "kepu-search-<version>" indices).
KEPU_SEARCH_INDEX_PREFIX = env_str("KEPU_SEARCH_INDEX_PREFIX", "kepu")


# --- Book drift (competitions/bookdrift/, docs/bookdrift.md) -----------------------------------
# Catches and releases accepted per client IP per minute (defence in depth: a class shares one
# address), and typed-in copy codes looked up per IP per minute (codes must stay unguessable).
KEPU_DRIFT_STEPS_PER_IP_PER_MINUTE = env_int("KEPU_DRIFT_STEPS_PER_IP_PER_MINUTE", 60)
KEPU_DRIFT_LOOKUPS_PER_IP_PER_MINUTE = env_int("KEPU_DRIFT_LOOKUPS_PER_IP_PER_MINUTE", 20)
# Readers past the reading period are reminded once a day at most (and at most once per the
# campaign's reminder interval, a database constraint).
CELERY_BEAT_SCHEDULE["bookdrift-remind-overdue-readers"] = {
    "task": "bookdrift.remind_overdue_readers",
    "schedule": 86400.0,
}

# --- Popularity (competitions/voting/popularity/) ----------------------------------------------
# Comments accepted per account per hour (defence in depth; comments are moderated for minors).
KEPU_POPULARITY_COMMENTS_PER_USER_PER_HOUR = env_int(
    "KEPU_POPULARITY_COMMENTS_PER_USER_PER_HOUR", 20
)
