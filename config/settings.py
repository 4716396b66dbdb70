"""Settings for Bidra, read from the environment.

With no variable set at all, Bidra runs on an embedded SQLite database under
``var/`` with Celery tasks executed in process: the zero-configuration
default for a newcomer and for the quick test run.  ``config.production``
builds on this module and refuses unsafe values.
"""

import os
from datetime import date, timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .storage import document_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("BIDRA_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEVELOPMENT_SECRET_KEY = "development-only-key-never-use-in-production"  # noqa: S105

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Where the source of this installation is published (AGPL-3.0 section 13, through viewflow).
# Every page links to /kallkod/, which names this address and also hands out the running source.
SOURCE_URL = env.str("SOURCE_URL", default="")

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
    "rules",
    "django_fsm_log",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "viewflow",
    "viewflow.workflow",
    "organizations",
    "workflows",
    "meetings",
    "grants",
    "payments",
    "correspondence",
    "awards",
    "reporting",
    "iop",
    "compact",
    "insight",
    "archive",
    "accounts",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # signed-in pages and downloads: Cache-Control no-store (outside the middleware below it)
    "accounts.middleware.NoStoreMiddleware",
    "accounts.middleware.SwedishUnlessChosenMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.RateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a lock-out flagged during sign-in into the Swedish lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "organizations.context_processors.bidra",
            ],
            "builtins": ["workflows.templatetags.bidra"],
        },
    }
]

# Form widgets render through the template engine, so that templates/django/forms/ can say
# "Välj …" where Django's own option template would show "---------" for an empty choice.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'bidra.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a worker keeps its connection for CONN_MAX_AGE seconds instead of
# opening one per request, and checks it before reusing it (0 closes it after every request).
# A ``conn_max_age`` in DATABASE_URL itself wins.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once when two requests write.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    options = DATABASES["default"].setdefault("OPTIONS", {})
    if env.bool("POSTGRES_NO_JIT", default=True):
        # PostgreSQL's JIT compiles the plan of any query it estimates as large, which costs
        # 100-150 ms before the first row: a loss for the short queries of pages and periodic
        # scans (measured in bench/).  Off for Bidra's connections unless POSTGRES_NO_JIT=false.
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    if env.bool("POSTGRES_PREPARED_STATEMENTS", default=False):
        # Opt-in: a statement a connection runs again is planned once, with the parameters bound
        # by the server (Django's ``server_side_binding``) and psycopg's documented
        # ``prepare_threshold`` (prepared from its second run).  Off by default: a pooler in
        # transaction mode does not keep prepared statements.
        options.setdefault("server_side_binding", True)
        options.setdefault("prepare_threshold", 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organizations.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses sign-in while an account is locked out after failed attempts.
    "accounts.backends.LockoutBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on for staff through the municipality's identity provider (off unless configured).
    "accounts.oidc.StaffOIDCBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
EMAIL_VERIFICATION_MAX_AGE = 60 * 60 * 24 * 3

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it, even before collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents are private: stored outside the static root and served
# only through views that check permission.  There is no MEDIA_URL route.
# BIDRA_DOCUMENT_STORAGE=local keeps them under PRIVATE_MEDIA_ROOT; =s3 in a bucket that every
# machine reaches (config/storage.py reads the BIDRA_S3_ variables; docs/deployment.md).
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
STORAGES = {
    "default": document_storage(os.environ),
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE", default="django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)

# Bookkeeping file (SIE 4): the ledger's accounts that are not a program's own (a program's grant
# account, cost centre and project are set on the program), and the verification series.
SIE_ACCOUNTS = {
    "bank": "1930",  # the bank account payments leave from and reclaims come back to
    "liability": "2990",  # decided grants not yet paid
    "receivable": "1680",  # decided reclaims not yet paid back
    "grants": "4600",  # grants of a program without an account of its own
    "partnerships": "4600",  # IOP partnership contributions
    **env.dict("SIE_ACCOUNTS", default={}),
}
SIE_SERIES = env.str("SIE_SERIES", default="B")
SIE_CHART = env.str("SIE_CHART", default="")  # the chart of accounts named in #KPTYP, e.g. BAS2014
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Bidra <noreply@bidra.invalid>")

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Django's database sessions
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 10)
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Celery: with no broker configured, tasks run eagerly in process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # tasks run in process; an in-memory transport keeps Celery from looking for a broker on localhost
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BEAT_SCHEDULE = {
    "send-outbox": {"task": "workflows.tasks.outbox_send_pending", "schedule": 60.0},
    "fire-due-timers": {"task": "workflows.tasks.timers_fire_due", "schedule": 300.0},
    "apply-retention": {"task": "accounts.tasks.retention_apply", "schedule": 60.0 * 60 * 24},
    "meetings-final": {"task": "meetings.tasks.meetings_finalise_due", "schedule": 3600.0},
    "iop-run-due": {"task": "iop.tasks.iop_run_due", "schedule": 3600.0},
    "compact-run-due": {"task": "compact.tasks.compact_run_due", "schedule": 3600.0},
    "grant-payments": {"task": "grants.tasks.payments_create_due", "schedule": 3600.0},
    "grant-decision-requests": {"task": "grants.tasks.decision_requests_remind", "schedule": 3600.0},
    "grant-reports": {"task": "reporting.tasks.reports_run_due", "schedule": 3600.0},
    "board-expire": {"task": "portal.tasks.board_expire_due", "schedule": 3600.0 * 6},
    # the public register: every municipality each night (renamed organisations, programs, committees)
    "register-refresh": {
        "task": "insight.tasks.register_refresh_all",
        "schedule": crontab(hour=3, minute=30),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bidra API",
    "DESCRIPTION": "Grants and partnerships between a municipality and civil society.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

DJANGO_FSM_LOG_STORAGE_METHOD = "workflows.statelog.Backend"
VIEWFLOW = {}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
WHITENOISE_USE_FINDERS = True

# --- Sign-in, second factor, abuse protection, personal data (accounts/, SECURITY.md) ---

# Staff who sign in with a password confirm with a one-time code (TOTP) from an app.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Bidra")
OTP_TOTP_THROTTLE_FACTOR = 1

# Single sign-on (OpenID Connect) through the municipality's identity provider, or an
# e-ID broker (BankID, Freja eID).  Off unless OIDC_RP_CLIENT_ID and the endpoints are set.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
#: the claim that identifies a Bidra user (matched case-insensitively against the e-mail address)
OIDC_MATCH_CLAIM = env.str("OIDC_MATCH_CLAIM", default="email")
#: the button text on the sign-in page, e.g. "Sign in with the municipality's account"
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="")
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False  # roles are granted in Bidra, never by the identity provider
OIDC_TIMEOUT = 10
OIDC_CALLBACK_CLASS = "accounts.oidc.CallbackView"
OIDC_AUTHENTICATE_CLASS = "accounts.oidc.AuthenticateView"
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "login"

# Applicants may sign in with a link sent by e-mail: signed, valid this long, usable once.
LOGIN_LINK_MAX_AGE = env.int("LOGIN_LINK_MAX_AGE", default=15 * 60)

# Lock-out after failed sign-ins (django-axes): per account and address together.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # Django's sign-in form calls the e-mail field "username"
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False
#: behind a proxy: how many proxies set X-Forwarded-For (the client address is then taken from it)
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# Rate limits on public forms (per client address, and per e-mail address where one is given).
# "name of the URL": "count/seconds".  Counted in the cache: use a shared cache (Redis) in production.
RATE_LIMITS = {
    "login": "30/600",
    "organizations:signup": "10/3600",
    "password_reset": "5/3600",
    "accounts:login_link": "5/3600",
    "accounts:otp_verify": "20/600",
    "organizations:verify_email_resend": "5/3600",
    "portal:accessibility": "5/3600",
}
RATE_LIMIT_ENABLED = env.bool("RATE_LIMIT_ENABLED", default=True)
# The public award nomination form: so many nominations per client address in so many seconds.
AWARD_NOMINATIONS_PER_IP = 10
AWARD_NOMINATION_WINDOW = 3600

# The accessibility statement (/tillganglighet/, DIGG's model): the day a person last checked the
# service by hand (YYYY-MM-DD), the known deviations (separated by ";"), where to report a barrier
# and within how many days it is answered.
# unset until a person has reviewed the installation: the statement then says none is recorded
_reviewed_on = env.str("BIDRA_ACCESSIBILITY_REVIEWED_ON", default="")
BIDRA_ACCESSIBILITY_REVIEWED_ON = date.fromisoformat(_reviewed_on) if _reviewed_on else None
BIDRA_ACCESSIBILITY_DEVIATIONS = [
    d.strip() for d in env.str("BIDRA_ACCESSIBILITY_DEVIATIONS", default="").split(";") if d.strip()
]
BIDRA_ACCESSIBILITY_CONTACT_EMAIL = env.str(
    "BIDRA_ACCESSIBILITY_CONTACT_EMAIL", default="tillganglighet@bidra.invalid"
)
BIDRA_ACCESSIBILITY_ANSWER_DAYS = env.int("BIDRA_ACCESSIBILITY_ANSWER_DAYS", default=14)

# Content Security Policy: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Virus scanning of uploads with ClamAV's clamd: off unless one of these is set.
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")
CLAMD_HOST = env.str("CLAMD_HOST", default="")
CLAMD_PORT = env.int("CLAMD_PORT", default=3310)
CLAMD_TIMEOUT = env.int("CLAMD_TIMEOUT", default=30)
#: refuse uploads when the scanner is configured but cannot be reached (fail closed)
CLAMD_FAIL_CLOSED = env.bool("CLAMD_FAIL_CLOSED", default=True)

# How long personal data is kept (see accounts/retention.py; applied daily).
RETENTION_UNVERIFIED_ACCOUNT_DAYS = env.int("RETENTION_UNVERIFIED_ACCOUNT_DAYS", default=30)
RETENTION_INACTIVE_ORGANISATION_PEOPLE_YEARS = env.int(
    "RETENTION_INACTIVE_ORGANISATION_PEOPLE_YEARS", default=3
)
RETENTION_OUTBOX_BODY_DAYS = env.int("RETENTION_OUTBOX_BODY_DAYS", default=90)
RETENTION_LOGIN_ATTEMPT_DAYS = env.int("RETENTION_LOGIN_ATTEMPT_DAYS", default=90)
