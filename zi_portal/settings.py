"""ZI Portal settings: one module, every production value from the environment.

With nothing configured the portal runs embedded: SQLite file under var/, Celery
eager (tasks run in-process), media in var/media. Production sets DATABASE_URL,
CELERY_BROKER_URL, SECRET_KEY, ALLOWED_HOSTS, HTTPS=1 and optionally S3 storage.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from zi_portal.cache import cache_config
from zi_portal.storage import default_storage_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("ZI_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# This key is public (it is in the repository): only the embedded demo (bin/run sets DEBUG=1) and a
# pytest run may fall back on it. Anything else without SECRET_KEY refuses to start, rather than
# signing sessions and password-reset links with a key everybody knows.
INSECURE_DEFAULT_KEY = "django-insecure-zi-portal-embedded-default-not-for-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY or SECRET_KEY == INSECURE_DEFAULT_KEY:
    if not (DEBUG or "pytest" in sys.modules):
        raise ImproperlyConfigured(
            "SECRET_KEY belum diatur: dengan DEBUG=0 portal membutuhkan kunci sendiri. "
            "Isi variabel SECRET_KEY dengan string acak yang panjang (README, Configuration)."
        )
    SECRET_KEY = INSECURE_DEFAULT_KEY
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "import_export",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "ops",
    "accounts",
    "units",
    "assessments",
    "evidence",
    "reports",
    "notifications",
    "dashboards",
    "api",
    "surveys",
    "dossier",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "signin",
    "review",
    "actions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zi_portal.middleware.IndonesianByDefault",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads a request body (CsrfViewMiddleware does): refuses an oversized one unread.
    "zi_portal.middleware.RequestBodyLimits",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A person who must have a second factor reaches nothing but its enrolment page until they do.
    "signin.middleware.RequireSecondFactor",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zi_portal.urls"
WSGI_APPLICATION = "zi_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Survive a PostgreSQL restart without restarting the web process.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # SQLite: wait for a writer instead of failing at once with "database is locked". The wait only
    # helps if a transaction takes the write lock when it begins (IMMEDIATE): a deferred one that read
    # first and then writes while another writer holds the lock gets SQLITE_BUSY at once, with no
    # waiting (SQLite's deadlock rule) — two evaluators saving one answer got HTTP 500. Now the second
    # waits, then reads the first one's revision and gets the 409 conflict, as on PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_config(env.str("CACHE_URL", default="locmemcache://"))}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True  # a Redis outage is logged, not raised

# --- Auth -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username+address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # ModelBackend that refuses a password of someone whose Pemda signs in through SSO only.
    "signin.backends.PasswordBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): 5 wrong passwords for one username from one address lock that
# pair for 15 minutes; a whole office behind one NAT address is not locked out by one person.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# Off: years and codes are integers too ("2.026" would be wrong); counts use |intcomma.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["zi_portal.formats"]

# --- Static and media -----------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
# Evidence and reports are never served from a public URL: downloads go through
# permission-checked views, so MEDIA_URL is deliberately not routed.
MEDIA_URL = "/media-not-served/"

STORAGES = {
    # A private S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set, else MEDIA_ROOT.
    "default": default_storage_config(env),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Tests and the embedded run serve static straight from the finders.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
WHITENOISE_AUTOREFRESH = DEBUG

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL.startswith("memory")
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool process that grew past this (KiB) after a task is replaced by a fresh one: WeasyPrint keeps
# much of a large render's memory (bench/reports.py --recap-on, 1,000 units: 79 MB before the
# recap, 286 MB at its peak, 201-212 MB after it; an idle pool process is ~80 MB).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=180_000)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # Deadline reminders (idempotent per person and deadline): a few runs a day are harmless.
    "notify-deadlines": {"task": "notifications.tasks.notify_deadlines", "schedule": 6 * 60 * 60},
    # Scores whose queued recompute was lost in a broker outage (bench/faults.py, "redis").
    "recompute-lost-scores": {
        "task": "assessments.tasks.recompute_lost_scores",
        "schedule": 5 * 60,
    },
    # Report jobs whose message was lost (broker down when asked, worker killed whole).
    "requeue-stale-reports": {"task": "reports.tasks.requeue_stale_reports", "schedule": 5 * 60},
    # Action items due within 7 days and overdue (idempotent per person, item and kind).
    "remind-action-items": {"task": "actions.tasks.remind_action_items", "schedule": 6 * 60 * 60},
}
# Redis redelivers an unacknowledged task (worker killed whole) after this many seconds; it must
# exceed the longest task (a recap renders in seconds), or a running render would be doubled.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900)
}

# --- REST framework -------------------------------------------------------
# A new API token expires after this many days (0: never); a password change revokes it at once.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    # Token first: an anonymous script gets 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ZI Portal API",
    "DESCRIPTION": "API ZI Portal (Zona Integritas WBK/WBBM) versi 1: Pemda, unit kerja, penilaian, LKE, "
    "nilai, tahapan, data dukung. Autentikasi: sesi peramban atau token (header `Authorization: Token <kunci>`).",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the drf-spectacular-sidecar package: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "assessments.models.Stage.choices",
        "DesignationEnum": "assessments.models.Designation.choices",
        "PemdaKindEnum": "api.serializers.PEMDA_KINDS",
        "EvidenceKindEnum": "api.serializers.EVIDENCE_KINDS",
        "EvidenceStatusEnum": "evidence.models.Status.choices",
        "ReviewDecisionEnum": "api.serializers.REVIEW_CHOICES",
        "ReportKindEnum": "reports.models.Kind.choices",
        "ReportStatusEnum": "reports.models.Status.choices",
    },
}

# --- Security ---------------------------------------------------------------
HTTPS = env.bool("HTTPS", default=False)
# Sessions are read from the cache (Redis in production) and written through to the database:
# one query less on every page, and nobody is logged out when the cache restarts.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie; kept default
# Content-Security-Policy (django-csp): scripts only from our own static files (no inline
# script anywhere), nothing framed, forms post only here. Inline styles stay allowed: htmx adds
# its indicator style element and a few templates size bars with style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}

# Upload limits: evidence uploads stream to disk above this size.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Largest request body any view reads (imports take 5 MB files, form fields 10 MB); a larger
# Content-Length is answered 413 unread. Evidence uploads set their own (evidence/upload.py).
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=12 * 1024 * 1024)

# --- Evidence (data dukung) ---------------------------------------------------
# Per-file limit, enforced while the upload streams in; and the accepted file types
# (recognised from content, not name): pdf jpg png webp doc docx xls xlsx ppt pptx odt ods.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=25 * 1024 * 1024)
EVIDENCE_ALLOWED_TYPES = env.list(
    "EVIDENCE_ALLOWED_TYPES",
    default=[
        "pdf",
        "jpg",
        "png",
        "webp",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
    ],
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per task is noise in the embedded (eager) mode and in tests.
        "celery.app.trace": {"level": env.str("CELERY_TRACE_LOG_LEVEL", default="WARNING")},
        "axes": {"level": "WARNING"},  # lockouts are still logged; each good login is not
        "weasyprint": {"level": "WARNING"},  # report PDFs: every layout step is logged at INFO
        "fontTools": {"level": "WARNING"},
    },
}

# Notifications are also e-mailed when EMAIL_HOST is set (SMTP); without it only the portal inbox.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
PORTAL_BASE_URL = env.str(
    "PORTAL_BASE_URL", default=""
)  # links in e-mails, e.g. https://zi.jeparakab.go.id
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="zi-portal@localhost")

# Public survey form (surveys/): accepted submissions per address per period in a window of seconds
# ("20/3600"; "0/0" switches it off, e.g. for a load test from one machine). A service counter's
# shared Wi-Fi is one address, so the limit is generous; the device cookie is the first guard.
_survey_rate = env.str("SURVEY_RATE_LIMIT", default="20/3600").split("/")
SURVEY_RATE_LIMIT = (int(_survey_rate[0]), int(_survey_rate[1]))
# Behind the TLS proxy every request comes from the proxy's address; name the header it sets
# (e.g. X-Forwarded-For) and the survey limit and the login lock count the address the proxy
# appended (rightmost; zi_portal/http.py). SURVEY_ADDRESS_HEADER is this setting's earlier name.
CLIENT_ADDRESS_HEADER = env.str(
    "CLIENT_ADDRESS_HEADER", default=env.str("SURVEY_ADDRESS_HEADER", default="")
)
AXES_CLIENT_IP_CALLABLE = "zi_portal.http.client_address"

# --- Sign-in: SSO (OpenID Connect) and a second factor (django-allauth) -------------------------
# Per-Pemda settings live in the admin (signin.PemdaSignIn). A Pemda without its own row requires a
# second factor of its Admin Inspektorat and TPI evaluators when this is on: by default in
# production (DEBUG=0), off in the embedded demo so that its visitors can sign in (README).
MFA_REQUIRED_DEFAULT = env.bool("MFA_REQUIRED", default=not DEBUG)
# The Pemda whose OpenID Connect provider is configured from the environment instead of the admin
# (code, e.g. 33.20); the OIDC_* variables below then fill its settings at start (README).
OIDC_PEMDA_CODE = env.str("OIDC_PEMDA_CODE", default="")
OIDC_ISSUER = env.str("OIDC_ISSUER", default="")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_CLAIM = env.str("OIDC_CLAIM", default="nip")
OIDC_SLUG = env.str("OIDC_SLUG", default="sso")
OIDC_EMAIL_DOMAINS = env.str("OIDC_EMAIL_DOMAINS", default="")
ACCOUNT_ADAPTER = "signin.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "signin.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = (
    False  # linking is the portal's rule (signin.services), not e-mail
)
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "ZI Portal"
MFA_FORMS = {"authenticate": "signin.forms.AuthenticateForm"}
MFA_RECOVERY_CODE_COUNT = 10
# WebAuthn needs HTTPS; the embedded demo on http://127.0.0.1 may use it anyway.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or not HTTPS
MFA_TRUST_ENABLED = False
