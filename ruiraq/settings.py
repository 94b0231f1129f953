"""
Settings for ruiraq.

Every deployment value comes from the environment, read through the small typed helpers
below; a malformed value stops start-up with ImproperlyConfigured instead of being guessed.
See README.md, "Configuration", for the list.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# --- environment helpers -------------------------------------------------------------------

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_url(name, default):
    """An absolute http(s) address without a path, query or fragment: "https://example.org"."""
    from urllib.parse import urlsplit

    raw = env_str(name, "").strip() or default
    parts = urlsplit(raw)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        raise ImproperlyConfigured(
            f"{name} must be an http(s) address without a path, such as "
            f"https://ruiraq.example.org; got {raw!r}"
        )
    return f"{parts.scheme}://{parts.netloc}"


# --- core -----------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

# The site's own address: every absolute URL a page, the feed, the sitemaps or robots.txt
# gives (canonical, og:url, hreflang, permalinks) is built from it, never from the request
# (a crafted path such as //evil.example.org/x made them point at another host). Default:
# the development server with DEBUG, else https:// and the first host in ALLOWED_HOSTS.
_FIRST_HOST = next((h.lstrip(".") for h in ALLOWED_HOSTS if h.lstrip(".") not in ("", "*")), "")
SITE_URL = env_url(
    "SITE_URL",
    "http://127.0.0.1:8000" if DEBUG else (f"https://{_FIRST_HOST}" if _FIRST_HOST else ""),
)

INSTALLED_APPS = [
    # Django's admin, opening on the editors' desk (ruiraq.site.admin_site).
    "ruiraq.site.admin_apps.RuiraqAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    # Country names in every language (CLDR-based catalogues) for the ISO codes records keep.
    "django_countries",
    "simple_history",
    "csp",
    "axes",
    "concurrency",
    "import_export",
    "ruiraq",
    "actors",
    "articles",
    # The site layer's commands (export_ftm); then, beside the product, the seed dataset and
    # the developer tools, each with its commands.
    "ruiraq.site",
    "ruiraq.seed",
    "ruiraq.devtools",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Where this request reads (a replica or the primary); before anything that queries.
    "ruiraq.replicas.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the URL prefix (/ru/, /ar/; none is English). Before the public
    # cache, whose key holds the active language, and before CommonMiddleware.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ruiraq.cache.PublicCacheMiddleware",
    # The data licence on every API response, cached or not (ruiraq.rest.licence).
    "ruiraq.rest.licence.LicenceLinkMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the login attempts that reach the admin's login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ruiraq.urls"
WSGI_APPLICATION = "ruiraq.wsgi.application"

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
            ],
        },
    },
]

# Forms render as Django's templates would; the smallest of them (inputs, options, labels)
# are written in Python: an admin change form renders about a thousand (ruiraq.form_renderer).
FORM_RENDERER = "ruiraq.form_renderer.PlainRenderer"

# --- database -------------------------------------------------------------------------------
# DATABASE_URL, e.g. postgres://user:password@host:5432/ruiraq; SQLite in the project folder
# when unset.

_DEFAULT_DATABASE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL") or _DEFAULT_DATABASE_URL,
            # Kept open between requests: a new PostgreSQL connection cost ~10 ms here, as
            # much as a whole event page (README, "Performance").
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None

# SQLite with several writers (gunicorn workers, two editors saving at once): write-ahead
# logging lets readers go on while one writes; transactions take the write lock when they
# begin (IMMEDIATE), so a second writer waits for the first instead of failing at once with
# "database is locked" when its read turns into a write (SQLite cannot wait there without
# risking a deadlock); and it waits up to SQLITE_BUSY_SECONDS. What remains after that is
# shown to the editor as an edit conflict (ruiraq.admin.EditorialAdmin.changeform_view).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_SECONDS", 20),
        }
    )

# DATABASE_REPLICA_URLS: optional, comma-separated URLs of PostgreSQL streaming replicas of
# DATABASE_URL. The public pages' and the API's reads go to them; the admin, writes, logged-in
# users and browsers that just wrote read the primary (ruiraq/replicas.py). Under tests each
# replica mirrors the test database: it is the same database, reached through the replica.
REPLICA_DATABASES = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    try:
        _replica = dj_database_url.parse(
            _url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URLS holds an invalid database URL: {exc}"
        ) from None
    if _replica["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URLS must name replicas of DATABASE_URL's server "
            "(the same engine: PostgreSQL)"
        )
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_number}"] = _replica
    REPLICA_DATABASES.append(f"replica{_number}")
DATABASE_ROUTERS = ["ruiraq.replicas.ReplicaRouter"] if REPLICA_DATABASES else []
# How long a browser that wrote keeps reading the primary: longer than the replicas' lag.
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 15)
# Paths that always read the primary, whoever asks, also under a language prefix (/ru/admin/):
# the admin and its login page.
REPLICA_PRIMARY_PATHS = ("/admin/",)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------------------------
# REDIS_URL makes the cache shared by every worker process; without it each process keeps
# its own in-memory cache, which is right for one person on a laptop.

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ruiraq",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The public cache's content version (ruiraq.cache) must be one for every worker and server,
# or a worker goes on serving what another one's request withdrew. Redis when there is one;
# else, in production, a table in the database (one indexed read per cached request, written
# in the same transaction as the edit; `make serve` creates it with createcachetable); with
# DEBUG (one development server) the process's memory.
#: The table of that content version in production (also made by `manage.py loadtest`).
CONTENT_VERSION_TABLE = "ruiraq_content_version"
if REDIS_URL:
    CACHES["versions"] = CACHES["default"]
elif DEBUG:
    CACHES["versions"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "versions",
    }
else:
    CACHES["versions"] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": CONTENT_VERSION_TABLE,
    }
# An import's uploaded file, between its preview and its confirmation (ruiraq.resources.
# ImportFileStorage): the confirmation may reach another worker, so the same shared place.
CACHES["imports"] = {**CACHES["versions"]}
if CACHES["imports"]["BACKEND"].endswith("DatabaseCache"):
    CACHES["imports"]["LOCATION"] = "ruiraq_import_files"
elif CACHES["imports"]["BACKEND"].endswith("LocMemCache"):
    CACHES["imports"]["LOCATION"] = "imports"

# --- auth -----------------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out client before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- internationalisation -------------------------------------------------------------------

# English at the unprefixed URLs, Russian under /ru/, Arabic (right to left) under /ar/
# (ruiraq/urls.py). The API, health check, sitemaps and robots.txt stay unprefixed: English.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
]
# The committed catalogues (.po and compiled .mo): a fresh clone needs no gettext.
LOCALE_PATHS = [BASE_DIR / "locale"]
# Country choices (filters, admin) start with the two countries the database is about.
COUNTRIES_FIRST = ["IQ", "RU"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static files ---------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- ruiraq ---------------------------------------------------------------------------------

# The licence the exports (JSON Lines, FollowTheMoney) and the record pages' JSON-LD declare
# for the published dataset. The default is a choice to confirm with the publisher.
DATASET_LICENCE_NAME = env_str("DATASET_LICENCE_NAME", "CC BY 4.0")
DATASET_LICENCE_URL = env_str("DATASET_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/")


def env_email(name, default):
    """An email address (for readers to write to): ImproperlyConfigured when it is not one."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    value = env_str(name, "").strip() or default
    try:
        validate_email(value)
    except ValidationError:
        raise ImproperlyConfigured(f"{name} must be an email address, not {value!r}.") from None
    return value


# Where readers write to the editors (the About page; the report form is the other way).
EDITORS_EMAIL = env_email("EDITORS_EMAIL", "editors@ruiraq.org")
# Where `manage.py build_dump` writes the prepared dump of the published dataset, which
# /api/v1/export/dump/ serves (ruiraq/site/dump.py). Shared by every app server (a shared
# volume), or built on each after publishing changes.
DUMP_DIR = Path(env_str("DUMP_DIR") or BASE_DIR / "var" / "dumps")
# The most records a filtered /api/v1/export/ streams, so that it ends within gunicorn's
# 30-second worker timeout even on a busy server (~340 events a second measured on a
# saturated 2-core machine; docs/benchmarks/bulk-data.md). Larger selections get the dump.
EXPORT_STREAM_LIMIT = env_int("EXPORT_STREAM_LIMIT", 10_000)
# The most search documents an edit refreshes before its response (ruiraq.search.documents):
# about 0.7 ms each at 100,000 events, so 5,000 add 3-4 s to an editor's save. An edit
# reaching more (an alias given to an actor named in 40,000 events) leaves them to
# `manage.py refresh_search --pending`, run every minute (README, "Production"), unless it
# changed a publication, which is always refreshed at once.
SEARCH_REFRESH_AT_ONCE = env_int("SEARCH_REFRESH_AT_ONCE", 5_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- security -------------------------------------------------------------------------------
# Production defaults follow DEBUG: with DEBUG off, HTTPS everywhere, HSTS for a year, secure
# cookies. Each can be turned off from the environment (e.g. a load test over plain HTTP on
# 127.0.0.1 sets SECURE_SSL_REDIRECT=0).

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The health check is asked over plain HTTP by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Behind a reverse proxy: how many proxies append to X-Forwarded-For. The client address is
# read from that many hops back (ruiraq.security.client_ip), by the admin's login throttling
# and the API's throttling alike. 0 means clients connect directly.
NUM_PROXIES = env_int("NUM_PROXIES", 0)
if NUM_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): nothing from another host, no inline script or style.
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
    },
}

# Admin login throttling (django-axes): locked out after AXES_FAILURE_LIMIT failures from one
# client address, for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "ruiraq.security.client_ip"
AXES_RESET_ON_SUCCESS = True
# 429 with Retry-After (the cool-off in seconds).
AXES_LOCKOUT_CALLABLE = "ruiraq.security.lockout_response"

# --- public cache ---------------------------------------------------------------------------
# Anonymous GET responses of the public pages and the API are cached (ruiraq.cache) for this
# many seconds; any change to a curated record invalidates them all at once. 0 turns it off.

PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)

# --- editorial admin ------------------------------------------------------------------------

# Bulk import runs in one transaction: a file with a bad row saves nothing. Importing needs the
# "add" permission on the model, exporting the "view" one.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# The version columns (no lost updates) are plain versions: no database triggers.
CONCURRENCY_AUTO_CREATE_TRIGGERS = False

# --- API ---
# The read-only REST API under /api/v1/ (ruiraq/rest/, the apps' api.py, ruiraq/site/api.py).
# Everyone is anonymous: no authentication classes, so no session or CSRF work per request and
# one throttle for all.

INSTALLED_APPS += [
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
]
# CorsMiddleware must answer before CommonMiddleware can redirect or refuse a request.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
    "corsheaders.middleware.CorsMiddleware",
)

_RATE_PERIODS = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}


def env_rate(name, default):
    """A DRF throttle rate such as "1000/hour" (periods: second, minute, hour, day)."""
    raw = env_str(name, default).strip()
    count, _, period = raw.partition("/")
    if not count.isdigit() or period not in _RATE_PERIODS:
        raise ImproperlyConfigured(f"{name} must be a rate such as 1000/hour, got {raw!r}")
    return raw


REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["ruiraq.rest.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "ruiraq.rest.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": ["ruiraq.rest.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env_rate("API_THROTTLE_ANON", "1000/hour")},
    "EXCEPTION_HANDLER": "ruiraq.rest.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": "format",
}

# How many error reports one address may send (ruiraq.site.reports), as a throttle rate.
ERROR_REPORT_RATE = env_rate("ERROR_REPORT_RATE", "5/hour")

SPECTACULAR_SETTINGS = {
    "TITLE": "ruiraq API",
    "DESCRIPTION": (
        "The published records of ruiraq, an editorial database of Russia–Iraq relations: "
        "events, agreements, actors, sources and topics, each claim with the quotes that "
        "support it. Read-only; anonymous clients are throttled. Every list takes the same "
        "filters as the public list pages, `page`/`page_size` pagination and `format=csv`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The Swagger UI files come from drf-spectacular-sidecar: nothing is loaded from another host.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI would otherwise send the schema to validator.swagger.io for a badge.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ruiraq.rest.schema.query_parameter_rules",
    ],
    # Several models have a "kind"; name each enum after its model rather than a hash.
    "ENUM_NAME_OVERRIDES": {
        "ActorKindEnum": "actors.models.ActorKind",
        "AliasKindEnum": "actors.models.AliasKind",
        "TieKindEnum": "actors.models.TieKind",
        "EventKindEnum": "articles.models.EventKind",
        "EventStatusEnum": "articles.models.EventStatus",
        "AgreementKindEnum": "articles.models.AgreementKind",
        "AgreementStatusEnum": "articles.models.AgreementStatus",
        "SourceKindEnum": "articles.models.SourceKind",
        "ParticipantRoleEnum": "articles.models.ParticipantRole",
        "PartyRoleEnum": "articles.models.PartyRole",
        "ValueQualifierEnum": "articles.models.ValueQualifier",
        "StanceEnum": "articles.models.Stance",
        "PrecisionEnum": "ruiraq.dates.Precision",
        "ChangeKindEnum": "ruiraq.models.ChangeKind",
        "RecordKindEnum": "ruiraq.site.search.KINDS",
    },
}

# CORS: any origin may read the API (GET/HEAD, plus the preflight OPTIONS); nothing else.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "user-agent"]
CORS_EXPOSE_HEADERS = ["ETag", "Link", "Retry-After", "X-Total-Count"]
