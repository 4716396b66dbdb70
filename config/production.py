"""Production settings: everything from ``config.settings`` plus the rules a
public-sector deployment must follow.  Refuses to start when the secret key is
missing or is the development key, or when no message broker is configured, and (through
``config.storage``) when documents are to go to S3 without a bucket or with half a key."""

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import CELERY_TASK_ALWAYS_EAGER, DEVELOPMENT_SECRET_KEY, SECRET_KEY, STORAGES, env

DEBUG = False
if not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value in production "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
if CELERY_TASK_ALWAYS_EAGER or env.str("CELERY_BROKER_URL", default="").startswith("memory://"):
    # Without a broker every task would run inside the request that starts it: a meeting's
    # hundreds of letters in the secretary's click, and an SMTP outage as an error page.
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL must point at the message broker in production, "
        "e.g. redis://127.0.0.1:6379/0 (and a Celery worker and beat must run)."
    )

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
STORAGES = {
    # local or s3, as config.settings read it (an incomplete s3 configuration has already been
    # refused there, naming the variable)
    "default": STORAGES["default"],
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
