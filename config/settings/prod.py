"""Production: everything secure by default; the installation must supply its secret, hosts and services."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not env.str("SECRET_KEY", default=""):
    raise ImproperlyConfigured("SECRET_KEY must be set when VECHE_ENV=production.")

DEBUG = env.bool("DEBUG", default=False)
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT
TASKS["default"]["BACKEND"] = env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
VECHE_REQUIRE_STAFF_2FA = env.bool("VECHE_REQUIRE_STAFF_2FA", default=True)
