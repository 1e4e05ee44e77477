"""productops settings: one module, configured by environment variables only.

Every value has a safe default for a laptop. A malformed value fails loudly at start-up
instead of being silently replaced.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


DATA_DIR = Path(env_str("PRODUCTOPS_DATA_DIR", "./var")).resolve()


def _make_data_dir() -> None:
    """The data dir, created readable by its owner only (0700) when it does not exist.

    An existing folder keeps its mode: it may be one the operator chose on purpose.
    """
    DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def _private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 if missing; take away others' access if not.

    The database holds password hashes, sessions and private notes, so it gets the same
    mode as the secret key. SQLite opens the existing file and gives its journal files
    the database file's mode.
    """
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        info = path.stat()
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            path.chmod(info.st_mode & 0o700)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once into the data dir."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    _make_data_dir()
    key = secrets.token_urlsafe(50)
    # Created 0600 from the start, never readable by others even for a moment.
    with os.fdopen(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        out.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "template_partials",
    "csp",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "mozilla_django_oidc",
    "productops.ops",
    "productops.accounts",
    "productops.org",
    "productops.notify",
    "productops.competencies",
    "productops.coaching",
    "productops.backlog",
    "productops.discovery",
    "productops.strategy",
    "productops.reports",
    "productops.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # One log line per request (time, status); first, so it times everything below it.
    "productops.ops.request_log.RequestLogMiddleware",
    # Static files, hashed and compressed, from the process itself (no --insecure).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A login whose password someone else set reaches only the page that makes it set its
    # own (docs/privacy.md).
    "productops.accounts.password_notices.OwnPasswordRequired",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "productops.urls"
WSGI_APPLICATION = "productops.wsgi.application"

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
                "productops.accounts.context_processors.account",
            ],
        },
    }
]

_database_url = os.environ.get("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    _make_data_dir()
    _private_file(DATA_DIR / "productops.sqlite3")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "productops.sqlite3"),
            # WAL: readers never wait for a writer, and a writer never waits for readers.
            # `timeout` is SQLite's busy timeout in seconds (docs/decisions.md, issue 14).
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every password that is set (create-login, the demo, the password change page, the admin
# site) passes these; productops/accounts/passwords.py says why each is there.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "productops.accounts.passwords.PersonSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout after repeated failed logins, on /login/ and /admin/login/ alike (django-axes;
# productops/accounts/lockout.py). The lock is per username and address together: it
# stops a guesser at one login from one address, and nobody can lock a colleague out by
# typing their username wrong on purpose. A failed attempt during the lock starts the
# cool-off again. `productops axes-reset-username NAME` lifts a lock at once.
AUTHENTICATION_BACKENDS = [
    "productops.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("PRODUCTOPS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("PRODUCTOPS_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "productops.accounts.lockout.lockout_response"
# A successful login clears that login's failures from that address.
AXES_RESET_ON_SUCCESS = True
# Record failures only: no table of every successful login with its address and browser.
AXES_DISABLE_ACCESS_LOG = True
# Locks are lifted with the command, not on the admin site (whose reach docs/decisions.md
# keeps small).
AXES_ENABLE_ADMIN = False
# Behind reverse proxies every request comes from the nearest proxy's address;
# PRODUCTOPS_PROXY_COUNT (how many proxies stand in front) makes the lock read the
# client's address from X-Forwarded-For instead (accounts.lockout.client_address).
PRODUCTOPS_PROXY_COUNT = env_int("PRODUCTOPS_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "productops.accounts.lockout.client_address"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves what collectstatic wrote (hashed names, gzip and brotli copies);
# `productops serve` collects first. Before any collect (plain `runserver`) it serves from
# the apps' folders, so a page is never unstyled.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "productops.ops.static.StaticFiles"},
}
WHITENOISE_USE_FINDERS = True

# --- Background work (django-tasks; the worker is `productops worker`) -------------------
# The database backend by default; PRODUCTOPS_TASK_BACKEND=immediate runs each task in the
# process that enqueues it (what the tests use, and a laptop with no worker running).
_task_backends = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = env_str("PRODUCTOPS_TASK_BACKEND", "database")
if _task_backend not in _task_backends:
    raise ImproperlyConfigured(
        f"PRODUCTOPS_TASK_BACKEND={_task_backend!r}: use one of {', '.join(_task_backends)}"
    )
TASKS = {"default": {"BACKEND": _task_backends[_task_backend]}}

# --- E-mail (SMTP from the environment; reminders in productops.notify) ----------------
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "productops <productops@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address links in e-mails start with (no request to take it from on the worker).
PRODUCTOPS_BASE_URL = env_str("PRODUCTOPS_BASE_URL", "http://127.0.0.1:8000")

# --- Single sign-on (OpenID Connect, mozilla-django-oidc) -------------------------------
# On only when OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET and the four OIDC_OP_*_ENDPOINT
# are set; a partial set stops start-up, naming what is missing. Roles and the other
# choices: productops/accounts/sign_on.py and oidc.py, README "Single sign-on".
from productops.accounts.sign_on import read_sign_on  # noqa: E402

_sign_on = read_sign_on(os.environ)
globals().update(_sign_on)
# /oidc/authenticate/ answers 404 while single sign-on is off.
OIDC_AUTHENTICATE_CLASS = "productops.accounts.oidc.SignOnStart"
# A sign-on the site refuses (no person with that e-mail, ...) lands back on the login
# page, which says why and what to do next.
LOGIN_REDIRECT_URL_FAILURE = "/login/?sso=refused"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
# django-axes counts no failure on the sign-on callback: no username there to count
# against, and the provider checks the password (accounts.oidc.not_a_password_attempt).
AXES_WHITELIST_CALLABLE = "productops.accounts.oidc.not_a_password_attempt"
if _sign_on:
    AUTHENTICATION_BACKENDS.insert(1, "productops.accounts.oidc.SignOnBackend")
# PRODUCTOPS_PASSWORD_LOGIN=0: no password logins at all, on /login/ and /admin/login/
# alike (Django's ModelBackend is left out). The break-glass is the server itself: an
# operator sets PRODUCTOPS_PASSWORD_LOGIN=1 and restarts.
PRODUCTOPS_PASSWORD_LOGIN = env_bool("PRODUCTOPS_PASSWORD_LOGIN", True)
if not PRODUCTOPS_PASSWORD_LOGIN:
    if not _sign_on:
        raise ImproperlyConfigured(
            "PRODUCTOPS_PASSWORD_LOGIN=0 needs single sign-on (OIDC_*): nobody could log in"
        )
    AUTHENTICATION_BACKENDS.remove("django.contrib.auth.backends.ModelBackend")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# HTTPS (README "Serving in production"). Off by default: a laptop serves plain HTTP.
# Strict-Transport-Security for this many seconds (31536000 is a year); it covers the
# host's subdomains too unless PRODUCTOPS_HSTS_INCLUDE_SUBDOMAINS=0.
SECURE_HSTS_SECONDS = env_int("PRODUCTOPS_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("PRODUCTOPS_HSTS_INCLUDE_SUBDOMAINS", True)
# Asking browsers to preload HSTS binds the whole domain, beyond productops: a choice for
# whoever owns the domain, so it is off unless set, and check --deploy is not asked to
# recommend it (security.W021).
SECURE_HSTS_PRELOAD = env_bool("PRODUCTOPS_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Redirect every plain-HTTP request to HTTPS.
SECURE_SSL_REDIRECT = env_bool("PRODUCTOPS_SSL_REDIRECT", False)
# Behind a proxy that ends TLS: trust its X-Forwarded-Proto: https. Set it only when the
# proxy always sets (or strips) that header, or a client could claim HTTPS itself.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("PRODUCTOPS_PROXY_SSL_HEADER", False) else None
)

# Everything is served from our own origin: no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# The API docs page loads Swagger UI from django-ninja's own static files ("ninja" is in
# INSTALLED_APPS for that), so it needs no exception to this policy.

# Uploads (people CSVs, later tracker exports) are streamed from disk past this size.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
# Uploads past FILE_UPLOAD_MAX_MEMORY_SIZE (and a tracker import's saved uploads) wait here,
# not in the system's temp folder; each process start removes what a killed server or
# import left behind (productops.imports.uploads, run from BacklogConfig.ready()).
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "uploads")

# Org audit thresholds; each can also be given per run on the command line, page or API.
PRODUCTOPS_AUDIT = {
    "span_warn": env_int("PRODUCTOPS_SPAN_WARN", 8),
    "span_critical": env_int("PRODUCTOPS_SPAN_CRITICAL", 15),
    "max_chain_depth": env_int("PRODUCTOPS_MAX_CHAIN_DEPTH", 6),
    "max_teams_per_pm": env_int("PRODUCTOPS_MAX_TEAMS_PER_PM", 2),
}

# The smallest group whose aggregates (a distribution, a median) are shown; below it the
# group's numbers are suppressed, so no one's answer can be worked out from them.
PRODUCTOPS_MIN_GROUP_SIZE = env_int("PRODUCTOPS_MIN_GROUP_SIZE", 5)
# The touchpoint kinds that make a week count in discovery cadence (productops.discovery.kinds):
# by default the team's own conversations with customers; sales- and support-call shadowing
# are shown apart. E.g. PRODUCTOPS_DISCOVERY_KINDS=interview,usability_test,prototype_test,support_call
PRODUCTOPS_DISCOVERY_KINDS = env_list(
    "PRODUCTOPS_DISCOVERY_KINDS", ["interview", "usability_test", "prototype_test"]
)

# To stdout (where gunicorn, systemd and containers collect it): warnings from anything,
# plus one line per request (productops.requests) and per task (productops.tasks).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "productops.requests": {"level": env_str("PRODUCTOPS_REQUEST_LOG_LEVEL", "INFO")},
        "productops.tasks": {"level": "INFO"},
        "django_tasks_db": {"level": "INFO"},
    },
}

# API lists page by 50, like the pages. django-ninja reads the page size from here (a
# `page_size` attribute on a PageNumberPagination subclass is ignored).
NINJA_PAGINATION_PER_PAGE = 50
# A bare `@paginate` pages by number (`?page=2`), as every list of the API does.
NINJA_PAGINATION_CLASS = "ninja.pagination.PageNumberPagination"
