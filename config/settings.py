"""Settings read from the environment (django-environ), with an optional `.env`.

`SECRET_KEY` has no default: `make run` writes a random one into `.env` for
local development, production must supply its own. Only `manage.py` commands, which
sign nothing that outlives their process, get a throwaway key when none is set.
"""

import datetime
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "axes",
    "django_htmx",  # request.htmx, and htmx itself served as a static file (the transcript editor)
    "podcasts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "podcasts.public.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "config.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock (up to 20 s) instead of failing when two transactions
    # that began by reading both try to write: two editors saving at once get a conflict, not a 500.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
# Every public request reads the content version (see podcasts/public/caching.py): opening
# a connection for each one would cost more than the read itself.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Logins are throttled by django-axes, which counts failures in the database, so that the
# count holds across workers and hosts: after AXES_FAILURE_LIMIT failures for one username,
# its logins are refused (429) for 15 minutes, and every failure meanwhile restarts them.
# By username only by default: behind a reverse proxy every request comes from the proxy's
# address, where locking by address would lock everyone out. Where gunicorn faces the
# clients itself, AXES_LOCKOUT_PARAMETERS=username,ip_address locks addresses too.
AUTHENTICATION_BACKENDS = [
    "podcasts.public.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = env.list("AXES_LOCKOUT_PARAMETERS", default=["username"])
AXES_RESET_ON_SUCCESS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded images (episodes, people): any storage backend, e.g. django-storages' S3 by replacing
# "default" (see README, Images); locally MEDIA_ROOT, served at MEDIA_URL by `podcasts.public.media`.
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Largest episode or guest file an import accepts (the corpus's largest is ~0.2 MB).
PODCASTS_MAX_FILE_BYTES = env.int("PODCASTS_MAX_FILE_BYTES", default=5 * 1024 * 1024)
# One admin upload, all its files unpacked: a zip that would unpack to more is refused.
PODCASTS_MAX_UPLOAD_BYTES = env.int("PODCASTS_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    # Opt-in: includeSubDomains binds every subdomain to HTTPS, and a preloaded domain is
    # shipped inside browsers, which takes months to undo.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    "security.W005",  # HSTS includeSubDomains: off on purpose (above)
    "security.W021",  # HSTS preload: off on purpose (above)
    # "Add ip_address to AXES_LOCKOUT_PARAMETERS": locking by username already holds
    # whatever user agent or cookie an attacker rotates (see AXES_LOCKOUT_PARAMETERS).
    "axes.W006",
]

# Pages may load only this site's scripts and styles, and frame only the YouTube player.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", *env.list("CSP_IMG_SRC", default=[])],  # e.g. the storage bucket's origin
    "frame-src": ["https://www.youtube-nocookie.com"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# The admin's pages of our own carry <style> blocks (templates/admin/podcasts/episode/page.html).
CONTENT_SECURITY_POLICY_ADMIN = {**CONTENT_SECURITY_POLICY, "style-src": ["'self'", "'unsafe-inline'"]}

# Warnings and errors to stderr, where gunicorn and systemd collect them; above all the
# traceback of every 500, which Django alone sends only by mail (to ADMINS) with DEBUG off.
# django.request says ERROR for 500s, WARNING for every 404 (left out: noise).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "django": {"handlers": [], "level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}

# The transcript editor posts five fields per item; the corpus has episodes with 700+ items.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
