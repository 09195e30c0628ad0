"""One settings module for every environment, driven by environment variables.

Local defaults need no configuration (SQLite, local-memory cache). Production
sets SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and friends; see README "Deploying".
Nothing here looks at how the process was started: the test run picks its values
through environment variables too (pyproject.toml, [tool.pytest_env]).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from import_export.formats import base_formats

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_origin(name, default):
    """An http(s) origin (scheme, host, optional port), with no path, query or user."""
    value = os.environ.get(name, default).strip()
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid origin: {value!r}") from error
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username is not None
        or parts.password is not None
    ):
        raise ImproperlyConfigured(f"{name} must be an http(s) origin like https://tracker.example.org: {value!r}")
    return f"{parts.scheme}://{parts.netloc.lower()}"


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DJANGO_DEBUG is off. For local development run with DJANGO_DEBUG=1."
        )
    SECRET_KEY = "django-insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Every absolute URL the site writes (feeds, export `url` fields, rel=canonical,
# security.txt) starts with this, never with the request's Host header. Production
# should set it; the local default keeps `check --deploy` runnable without it.
SITE_ORIGIN = env_origin("SITE_ORIGIN", "http://127.0.0.1:8000")
# security.txt's Contact; the default is a placeholder that says so.
SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "mailto:security@example.invalid")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "axes",
    "simple_history",
    "import_export",
    "sources",
    "revisions",
    "listing",
    "dataentry",
    "jurisdictions",
    "programs",
    "laws",
    "courts",
    "sanctuary_lists",
    "letters",
    "compliance",
    "seed",
    "dashboard",
    "search",
    "corrections",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the page cache, so every request, cached or not, has its Host checked
    # against ALLOWED_HOSTS (get_host) and gets the APPEND_SLASH redirect.
    "django.middleware.common.CommonMiddleware",
    # Before anything reads a query parameter, the page cache included: NUL and other
    # control characters are a 400.
    "dashboard.middleware.RejectControlCharactersMiddleware",
    # Above everything a page's render needs, so a cached hit skips it all, and above
    # GZip, so a page is compressed once and kept compressed (see its docstring). It
    # sees every cookie set below it: a page that sets one is never kept.
    "revisions.middleware.PublicPageCacheMiddleware",
    # Below the page cache (which keeps a compressed and a plain copy of each page) and
    # above the session and CSRF middleware, so it sees every cookie set.
    "dashboard.middleware.PublicGZipMiddleware",
    # Django's SessionMiddleware, except that a database outage does not fail the response.
    "dataentry.outage.OutageTolerantSessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dashboard.middleware.PermissionsPolicyMiddleware",
    # Below the page cache, so cached JSON pages (records, the OpenAPI document) keep it.
    "dashboard.middleware.PublicDataCorsMiddleware",
    # An admin save that fails for a database outage keeps what the editor typed.
    "dataentry.outage.AdminDatabaseOutageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it locks out repeated failed admin logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
# Locked out: the pair (address, username), not the username alone, so that someone who
# knows an editor's username cannot lock that editor out from everywhere.
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
# How many proxies in front of gunicorn append to X-Forwarded-For (0: use REMOTE_ADDR).
# Lock-out and the rate limits read the client's address the same way.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"  # a 429, like the rate limits
# Where the admin login lands when its `next` is missing or points off the site.
LOGIN_REDIRECT_URL = "admin:index"
LOGIN_URL = "admin:login"
# Admin sessions end after this long without a request (each request renews the
# session; public pages never create one), and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(60 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_FAILURE_VIEW = "dashboard.views.csrf_failure"

# Rate limits per client address, counted in the cache (shared by every worker) by
# django-ratelimit, and lifted, not enforced, while the cache is down (listing.throttle).
# "N/m" = N requests a minute; search and exports are the expensive uncached paths.
RATE_LIMIT_SEARCH = os.environ.get("RATE_LIMIT_SEARCH", "60/m")
RATE_LIMIT_EXPORT = os.environ.get("RATE_LIMIT_EXPORT", "30/m")
# The reader forms (suggest a correction, follow by email): honest readers send one or two.
RATE_LIMIT_CORRECTIONS = os.environ.get("RATE_LIMIT_CORRECTIONS", "10/h")
RATE_LIMIT_FOLLOW = os.environ.get("RATE_LIMIT_FOLLOW", "10/h")
RATELIMIT_IP_META_KEY = "listing.throttle.client_ip"
RATELIMIT_FAIL_OPEN = True
RATELIMIT_USE_CACHE = "default"

# bench/ swaps in a URLconf that adds a trivial view to compare throughput against.
ROOT_URLCONF = os.environ.get("DJANGO_ROOT_URLCONF", "sanctuary_tracker.urls")
WSGI_APPLICATION = "sanctuary_tracker.wsgi.application"

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
                "django.template.context_processors.csp",
                "dashboard.context_processors.canonical_url",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs ~250 ms on the control-rule queries, whose row estimates
    # are high, and never pays off for pages that read a few hundred rows.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Developers edit templates, so DEBUG keeps no pages (the tests set 0 as well).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0" if DEBUG else "600"))
if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
            "KEY_PREFIX": "sanctuary",
            # The cache is optional (revisions.middleware fails open): a Redis that is
            # down or hung must cost a request at most about a second, not a worker.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names need collectstatic first; DEBUG runs (and the tests, which set
        # STATIC_MANIFEST=0) use plain names.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

FILTERS_EMPTY_CHOICE_LABEL = "Any"
# urlize (research notes) links bare domains over HTTPS, Django 7's default.
URLIZE_ASSUME_HTTPS = True
# The admin imports spreadsheets: CSV and XLSX (dataentry.limits can count their rows
# before parsing); exports offer the same two.
IMPORT_FORMATS = [base_formats.CSV, base_formats.XLSX]
EXPORT_FORMATS = IMPORT_FORMATS
# An import either writes every row or none; rows with errors block the confirm step.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Importing needs its own permission (import_<model>), which Editors do not get.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Left off: it only strips a leading "=" (data lost, + - @ untouched). The resources
# neutralise formulae themselves, OWASP's way (dataentry.importing.TrackerResource).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
# Admin imports are checked against these before the file is parsed, so that an import
# always finishes well inside gunicorn's worker timeout; bigger files go through
# `manage.py import` (README, "Large imports").
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "500"))
LETTER_DOCUMENT_MAX_BYTES = int(os.environ.get("LETTER_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# Text extraction runs during validation in a child process with these budgets (and a
# memory ceiling): a PDF beyond them is a form error (letters.documents).
LETTER_DOCUMENT_MAX_PAGES = int(os.environ.get("LETTER_DOCUMENT_MAX_PAGES", "500"))
LETTER_DOCUMENT_EXTRACT_SECONDS = float(os.environ.get("LETTER_DOCUMENT_EXTRACT_SECONDS", "10"))

# Email (alerts, correction notices): printed to the console when debugging without an
# EMAIL_HOST, else SMTP (a local relay on localhost unless EMAIL_HOST names one).
if DEBUG and not os.environ.get("EMAIL_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                # STARTTLS unless EMAIL_USE_SSL asks for implicit TLS (port 465).
                "use_tls": not env_bool("EMAIL_USE_SSL"),
                "use_ssl": env_bool("EMAIL_USE_SSL"),
                "timeout": 10,
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sanctuary Tracker <alerts@example.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# How long a follow's confirmation link works.
ALERTS_CONFIRM_DAYS = int(os.environ.get("ALERTS_CONFIRM_DAYS", "7"))

ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

# Security headers. HTTPS-only settings switch on outside DEBUG; SECURE_SSL_REDIRECT
# can be turned off when a proxy terminates TLS and already redirects.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers and the container HEALTHCHECK probe /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# The __Host- prefix needs Secure, so local HTTP development keeps the plain name.
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
CSRF_COOKIE_NAME = "csrftoken" if DEBUG else "__Host-csrftoken"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    # plotly.js sets inline style attributes on the SVG it draws.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # python-json-logger escapes quotes and newlines, and adds "exc_info" (the
        # traceback) when there is one, so every record is exactly one JSON line.
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO").upper()},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
