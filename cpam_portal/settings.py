"""Settings of cpam-portal: one file; what differs between environments comes from the environment.

Without DATABASE_URL the portal runs on a SQLite file in the project folder; without REDIS_URL
Celery runs tasks in-process. Production (DJANGO_ENV=production) refuses to start unless it has
a real secret key, PostgreSQL and Redis. The variables are listed in README.md.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
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

# A development key is only acceptable outside production; production refuses to start without
# its own key (checked below), so this default can never sign a production cookie.
_DEV_SECRET_KEY = "insecure-development-key-never-used-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")

DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
REDIS_URL = env.str("REDIS_URL", default="")
if DJANGO_ENV == "test" and REDIS_URL and env.str("PYTEST_XDIST_WORKER", default=""):
    # Each pytest-xdist process uses its own Redis database, so the Celery worker a test starts
    # never takes tasks published by a test running in the other process.
    _xdist_index = int(env.str("PYTEST_XDIST_WORKER").removeprefix("gw"))
    REDIS_URL = f"{REDIS_URL.rsplit('/', 1)[0]}/{1 + _xdist_index % 15}"

if IS_PRODUCTION:
    missing = []
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        missing.append("SECRET_KEY (50 characters or more)")
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        missing.append("DATABASE_URL (a PostgreSQL URL)")
    if not REDIS_URL.startswith(("redis://", "rediss://")):
        missing.append("REDIS_URL (a Redis URL)")
    if DEBUG:
        missing.append("DEBUG must be off")
    if missing:
        raise ImproperlyConfigured("Production settings refuse to start: " + "; ".join(missing))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "widget_tweaks",
    "dsfr",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_guid",
    "csp",
    "cpam_portal",
    "accounts",
    "directory",
    "simple_history",
    "affiliation",
    "reimbursements",
    "allowances",
    "appointments",
    "oauth2_provider",
    "mutuelles",
]

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cpam_portal.middleware.AbsoluteSessionTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "cpam_portal.middleware.StaffSecondFactorMiddleware",
    "cpam_portal.middleware.NoStoreForAuthenticatedMiddleware",
    # Records the staff member (or insured person) behind each change in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cpam_portal.urls"
WSGI_APPLICATION = "cpam_portal.wsgi.application"
ASGI_APPLICATION = "cpam_portal.asgi.application"

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
                "django.template.context_processors.i18n",
                "cpam_portal.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # make run's embedded mode, where the web server and beat share the file: WAL lets reads
    # go on during a write, and IMMEDIATE transactions wait for the write lock (up to
    # `timeout` seconds) instead of failing with "database is locked" on a lock upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Bounded statements and lock waits: a stuck query fails fast instead of piling up
    # connections (docs/reliability.md#database-timeouts). Workers may raise them with their
    # own environment.
    statement_timeout_ms = env.int("DB_STATEMENT_TIMEOUT_MS", default=15_000)
    lock_timeout_ms = env.int("DB_LOCK_TIMEOUT_MS", default=5_000)
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={statement_timeout_ms} -c lock_timeout={lock_timeout_ms} "
        "-c idle_in_transaction_session_timeout=60000"
    )
else:
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions, cache and rate-limit counters live in the database, so a Redis outage never breaks
# a login or a page: Redis only wakes the workers.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
}

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# 12 characters at least with lockout: CNIL délibération 2022-100, ASVS 6.2.1.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if DJANGO_ENV == "test":
    # The test suite creates hundreds of accounts: a deliberately slow hash costs it about a
    # second each. Never outside tests (Django's documented speed-up for test runs).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PREVENT_ENUMERATION = True
# An unknown address typed in the reset form gets no mail at all: only real accounts receive one.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Assurance Maladie] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if IS_PRODUCTION else "http"
# allauth's defaults are on; failed logins per account and password resets per address are
# pinned here (docs/reliability.md#login-rate-limits).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "reset_password": "20/m/ip,3/h/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_TOTP_ISSUER = "Assurance Maladie (CPAM)"
MFA_ALLOW_UNVERIFIED_EMAIL = False
USERSESSIONS_TRACK_ACTIVITY = True

# Idle timeout 30 min (cookie age renewed on every request), absolute 12 h (middleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_USE_SESSIONS = True

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Assurance Maladie <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = IS_PRODUCTION

# --- Static and uploaded files ------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Documents people send (identity papers, payslips...) live outside MEDIA_ROOT, in a storage
# with no URL: they are served only by views that check who asks (see affiliation.documents).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, whitenoise serves straight from the app folders: no collectstatic needed.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
# Manifest storage rewrites url() inside dsfr.min.css, so its SRI hashes no longer match.
DSFR_USE_INTEGRITY_CHECKSUMS = False
# Upload limits: requests above these are refused before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_PERMISSIONS = 0o640
DIRECTORY_CSV_MAX_BYTES = 2 * 1024 * 1024

# --- Security headers ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- REST API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="600/min"),
        # Per mutuelle client (mutuelles.api.base.MutuelleClientThrottle), not per address.
        "mutuelle_read": env.str("API_MUTUELLE_READ_RATE", default="600/min"),
        "mutuelle_write": env.str("API_MUTUELLE_WRITE_RATE", default="120/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "NUM_PROXIES": env.int("NUM_PROXIES", default=1 if IS_PRODUCTION else 0),
}
# --- OAuth 2.0 for the mutuelles' API clients (django-oauth-toolkit) ---------------------------
# Client credentials only; short-lived bearer tokens and no refresh token (a client asks again).
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OAUTH_ACCESS_TOKEN_SECONDS", default=600),
    # The scopes a client gets are those staff granted it (mutuelles.scopes); the names here
    # are the catalogue (same as mutuelles.scopes.SCOPES, which a test checks).
    "SCOPES_BACKEND_CLASS": "mutuelles.scopes.ClientScopes",
    "SCOPES": {
        "members:write": "Declare and end members' contracts",
        "statements:read": "Read members' statements",
        "statements:ack": "Acknowledge or reject statements",
        "eligibility:read": "Check members' compulsory cover",
    },
    "DEFAULT_SCOPES": [],
    "PKCE_REQUIRED": True,
    # RFC 9700 (OAuth 2.0 Security BCP), every recommendation on: tokens stored as checksums
    # only, no token in a query string, no implicit or password grant, https redirects only.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}

# django-oauth-toolkit's models are swappable; Django's migration autodetector needs the names.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105 (a model name)
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # noqa: S105
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # noqa: S105
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"

SPECTACULAR_SETTINGS = {
    "TITLE": "cpam-portal API",
    "DESCRIPTION": "Public and partner API of cpam-portal (Caisse Primaire d'Assurance Maladie).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

# --- Celery -------------------------------------------------------------------------------------
# Redis only wakes the workers: every job is a row in PostgreSQL, and a periodic sweep
# re-enqueues what a lost message left behind (docs/reliability.md#the-row-is-the-record and
# #celery-settings).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# Invariant checked by a test: task time limit < visibility timeout < claim lease.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=900)
CELERY_CLAIM_LEASE_SECONDS = env.int("CELERY_CLAIM_LEASE_SECONDS", default=1200)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# Keep our LOGGING (JSON, request id, NIR/IBAN masking) in the worker and beat processes too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
# Webhook deliveries wait on the mutuelles' servers: their own queue (and worker in
# docker-compose.yml), so a slow receiver never takes a slot from the reimbursement pipeline.
CELERY_TASK_ROUTES = {"mutuelles.tasks.deliver_webhook_message": {"queue": "webhooks"}}
CELERY_BEAT_SCHEDULE = {
    "directory-sweep-imports": {
        "task": "directory.tasks.sweep_directory_imports",
        "schedule": env.int("SWEEP_INTERVAL_SECONDS", default=60),
    },
    "mail-sweep-outbox": {
        "task": "cpam_portal.tasks.sweep_outgoing_mail",
        "schedule": env.int("SWEEP_INTERVAL_SECONDS", default=60),
    },
    # Gives back care sheets whose claim expired or whose message was lost, and wakes workers.
    "reimbursements-sweep-care-sheets": {
        "task": "reimbursements.tasks.sweep_care_sheets",
        "schedule": env.int("SWEEP_INTERVAL_SECONDS", default=60),
    },
    # The day-before reminders of appointments (each sent once, whatever the runs).
    "appointments-send-reminders": {
        "task": "appointments.tasks.send_appointment_reminders",
        "schedule": 900,
    },
    # A waiting-list offer not taken in time goes to the next person in line.
    "appointments-expire-slot-offers": {
        "task": "appointments.tasks.expire_slot_offers",
        "schedule": env.int("SWEEP_INTERVAL_SECONDS", default=60),
    },
    # Gives back the claims of dead delivery workers, then routes the issued statements,
    # releases, batches and sends what is due (retries included): what a lost wake-up or a
    # lost `transmit_statements` message would have done.
    "mutuelles-sweep-webhook-messages": {
        "task": "mutuelles.tasks.sweep_webhook_messages",
        "schedule": env.int("SWEEP_INTERVAL_SECONDS", default=60),
    },
    "mutuelles-purge-idempotency-records": {
        "task": "mutuelles.tasks.purge_idempotency_records",
        "schedule": 3600,
    },
    # Pays every 14-day period that is over (each period exactly once, whatever the runs).
    "allowances-pay-daily-allowances": {
        "task": "allowances.tasks.pay_daily_allowances",
        "schedule": 3600,
    },
}

# --- Logging ------------------------------------------------------------------------------------
# JSON lines on stderr, UTC timestamps, the request id of django-guid on each line, and NIRs and
# IBANs masked wherever they would appear (CNIL délibération 2021-122: minimise personal data).
DJANGO_GUID = {"GUID_HEADER_NAME": "X-Request-ID", "VALIDATE_GUID": True, "RETURN_HEADER": True}
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {
            "()": "django_guid.log_filters.CorrelationId",
            "correlation_id_field": "request_id",
        },
        "mask_personal_numbers": {"()": "cpam_portal.logging.MaskPersonalNumbersFilter"},
    },
    "formatters": {
        "json": {
            "()": "cpam_portal.logging.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "mask_personal_numbers"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The development server's request lines carry URLs: same handler, same masking.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django_guid": {"level": "WARNING"},
    },
}

# --- The portal ---------------------------------------------------------------------------------
PORTAL_NAME = _("Assurance Maladie — votre caisse en ligne")
NATIONAL_PHONE = "36 46"
