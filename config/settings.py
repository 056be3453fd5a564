"""Settings for the reporting-route case system, read from the environment (12-factor).

``DJANGO_ENV`` picks the shape:

* ``development`` (the default, no environment needed): SQLite, Celery tasks run eagerly,
  e-mail to the console, DEBUG on. This is what ``make run`` uses.
* ``test``: PostgreSQL and Redis from ``DATABASE_URL``/``REDIS_URL`` (``make test``).
* ``production``: refuses to start without ``SECRET_KEY``, ``DATABASE_URL`` and
  ``ALLOWED_HOSTS``; HTTPS-only cookies, HSTS, SSL redirect.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}"
    )
IS_PRODUCTION = DJANGO_ENV == "production"
IS_TEST = DJANGO_ENV == "test"

if IS_PRODUCTION:
    # No defaults: a production process without these must not start.
    SECRET_KEY = env.str("SECRET_KEY")
    # Rotation: the previous key goes here for as long as its sessions and tokens may live.
    SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    DATABASES = {"default": env.db_url("DATABASE_URL")}
    DEBUG = env.bool("DEBUG", default=False)
else:
    SECRET_KEY = env.str(
        "SECRET_KEY", default="development-only-key-never-used-in-production-0123456789"
    )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
    if "DATABASE_URL" not in env:
        (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": env.db_url(
            "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
        )
    }
    DEBUG = env.bool("DEBUG", default=not IS_TEST)

DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "guardian",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_countries",
    # ours, in the order of the route (DESIGN.md: dependencies point right to left)
    "accounts",
    "signals",
    "cases",
    "referrals",
    "screening",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionPolicyMiddleware",
    "accounts.middleware.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    # AxesMiddleware last: it turns a lockout flagged during authenticate() into the Dutch page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Accounts, authentication, second factor, lockout -------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out username+IP pairs before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Guardian: no anonymous user row; nobody who is not logged in gets any permission.
ANONYMOUS_USER_NAME = None

OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Meldroute Zuid-Limburg")
# Seconds between the password step and the second factor before the login starts over.
LOGIN_SECOND_FACTOR_TIMEOUT = env.int("LOGIN_SECOND_FACTOR_TIMEOUT", default=300)
BACKUP_CODE_COUNT = 10

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Lock the pair, never the IP alone: one attacker must not lock out a whole town hall behind NAT.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "accounts.views.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "accounts.middleware.client_ip"
AXES_USERNAME_FORM_FIELD = "username"

# --- Sessions ------------------------------------------------------------------------------
# Idle timeout: the cookie lives SESSION_IDLE_TIMEOUT seconds and is renewed on every request.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_LIFETIME = env.int("SESSION_ABSOLUTE_LIFETIME", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "accounts.views.errors.csrf_failure"

# Behind a reverse proxy the client address is the last hop the proxy appended, never the
# leftmost (client-controlled) X-Forwarded-For entry. 0 means: no proxy, use REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Caches, Celery ------------------------------------------------------------------------
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_RESULT_EXPIRES = timedelta(hours=1)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not IS_PRODUCTION)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Amsterdam"

# --- Screening table -----------------------------------------------------------------------
# The weekly meeting: weekday (0 = Monday) and local time; the agenda closes this many hours before.
SCREENING_MEETING_WEEKDAY = env.int("SCREENING_MEETING_WEEKDAY", default=1)
SCREENING_MEETING_TIME = env.str("SCREENING_MEETING_TIME", default="10:00")
SCREENING_AGENDA_CUTOFF_HOURS = env.int("SCREENING_AGENDA_CUTOFF_HOURS", default=24)
# The agenda PDF shows person names only when the region has decided it may.
SCREENING_AGENDA_FULL_NAMES = env.bool("SCREENING_AGENDA_FULL_NAMES", default=False)
# Follow-up reminders (each idempotent: one reminder per event, however often the task runs).
REFERRAL_ANSWER_WORKING_DAYS = env.int("REFERRAL_ANSWER_WORKING_DAYS", default=5)
REFLECTION_REMINDER_DAYS = env.int("REFLECTION_REMINDER_DAYS", default=14)
# The key of the pseudonyms in the per-victim CoMensha list (docs/reporting.md). Empty: one
# derived from SECRET_KEY; set it before the secret key is ever rotated.
COMENSHA_PSEUDONYM_KEY = env.str("COMENSHA_PSEUDONYM_KEY", default="")

# Retention (docs/privacy.md): months after closing before a record is anonymised.
RETENTION_SIGNAL_NONE_MONTHS = env.int("RETENTION_SIGNAL_NONE_MONTHS", default=12)
RETENTION_SIGNAL_CLOSED_MONTHS = env.int("RETENTION_SIGNAL_CLOSED_MONTHS", default=60)
RETENTION_CASE_CLOSED_MONTHS = env.int("RETENTION_CASE_CLOSED_MONTHS", default=60)
RETENTION_TRAJECTORY_CLOSED_MONTHS = env.int("RETENTION_TRAJECTORY_CLOSED_MONTHS", default=60)
# The audit log is kept at least this long and never anonymised (it holds no personal values).
RETENTION_AUDIT_LOG_MONTHS = max(60, env.int("RETENTION_AUDIT_LOG_MONTHS", default=60))
CELERY_IMPORTS = ["reporting.privacy_tasks"]

CELERY_BEAT_SCHEDULE = {
    "retention-daily": {
        "task": "reporting.privacy_tasks.run_retention",
        "schedule": crontab(hour=3, minute=15),
    },
    "plan-weekly-screening-meetings": {
        "task": "screening.tasks.plan_weekly_meetings",
        "schedule": timedelta(hours=1),
    },
    "case-and-trajectory-reminders": {
        "task": "cases.tasks.send_reminders",
        "schedule": timedelta(hours=1),
    },
    "referral-reminders": {
        "task": "referrals.tasks.send_reminders",
        "schedule": timedelta(hours=1),
    },
}

# --- E-mail --------------------------------------------------------------------------------
if IS_PRODUCTION:
    EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")
    vars().update(EMAIL_CONFIG)
elif IS_TEST:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="meldroute@localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Language, time ------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads live outside the web root and are only served by permission-checked views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security headers ----------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_ENGINE = (
        "django.contrib.sessions.backends.cached_db"
        if REDIS_URL
        else "django.contrib.sessions.backends.db"
    )
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Audit trail ---------------------------------------------------------------------------
AUDITLOG_LOGENTRY_MODEL = "accounts.AuditLogEntry"
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_MASK_CALLABLE = "accounts.audit.mask_value"

# --- API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.VerifiedSessionAuthentication",
        "accounts.authentication.AuditedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_RATES": {"user": "600/minute"},
}
REST_KNOX = {
    # Integration tokens are stored hashed and live until an administrator revokes them,
    # unless API_TOKEN_TTL_DAYS sets an expiry.
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS"))
    if env.str("API_TOKEN_TTL_DAYS", default="")
    else None,
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Meldroute mensenhandel API",
    "DESCRIPTION": "Case system of the reporting route for human trafficking.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files (no CDN), started by a script file (no inline script).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The default hook, and one that documents how a list answers a page that does not exist.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "accounts.schema.document_pagination",
    ],
}

# --- Logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "meldroute.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
