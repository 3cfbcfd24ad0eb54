"""Lifelong settings: one module, driven by environment variables.

Production differs from a developer's machine only in the environment (docs/configuration.md):
``LIFELONG_DEBUG``, ``LIFELONG_SECRET_KEY``, ``LIFELONG_ALLOWED_HOSTS``, ``LIFELONG_SITE_URL``,
``LIFELONG_DATA_DIR`` and ``DATABASE_URL``. ``LIFELONG_DEMO=1`` (set by ``lifelong demo``) keeps
a generated secret key in the data directory and serves plain HTTP on loopback.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
# The data directory is relative to where the command runs, not to the installed package.
DATA_DIR = Path(os.environ.get("LIFELONG_DATA_DIR", "var")).resolve()
DEMO = _flag("LIFELONG_DEMO")
DEBUG = _flag("LIFELONG_DEBUG")


#
# Secrets
#


def _demo_secret_key(data_dir: Path) -> str:
    """Return the demo's secret key, generating it once and keeping it in the data dir."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "demo-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = os.environ.get("LIFELONG_SECRET_KEY", "")
if not SECRET_KEY:
    if DEMO:
        SECRET_KEY = _demo_secret_key(DATA_DIR)
    elif DEBUG:
        SECRET_KEY = "insecure-development-key-" + "x" * 40
    else:
        raise ImproperlyConfigured(
            "LIFELONG_SECRET_KEY must be set when LIFELONG_DEBUG is off "
            "(or run `lifelong demo`, which keeps its own key in the data directory)."
        )

#
# Hosts and URLs
#

# The public base URL: links in e-mails and the xAPI account homePage. It is independent of
# the port actually served, so a proxy in front of `lifelong serve` changes nothing here.
SITE_URL = os.environ.get("LIFELONG_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site_host = urlsplit(SITE_URL).hostname or "localhost"
ALLOWED_HOSTS = _list("LIFELONG_ALLOWED_HOSTS") or sorted({"127.0.0.1", "localhost", _site_host})
CSRF_TRUSTED_ORIGINS = _list("LIFELONG_CSRF_TRUSTED_ORIGINS") or (
    [SITE_URL] if SITE_URL.startswith("https://") else []
)

#
# Applications
#

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "lifelong.core",
    "lifelong.org",
    "lifelong.lrs",
    "lifelong.learning",
    "lifelong.initiatives",
    "lifelong.emulation",
    "lifelong.web",
    "lifelong.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lifelong.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lifelong.core.middleware.RequestContextMiddleware",
    "lifelong.core.middleware.DomainErrorMiddleware",
]
CSRF_FAILURE_VIEW = "lifelong.web.views.csrf_failure"

ROOT_URLCONF = "lifelong.urls"
WSGI_APPLICATION = "lifelong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lifelong.web.context.navigation",
            ],
        },
    },
]

#
# Database
#

# Unset: a SQLite file in the data directory. Set (postgres://user:pw@host:5432/name): PostgreSQL.
# Connections are kept LIFELONG_DB_CONN_MAX_AGE seconds (0: one per request) and checked before
# reuse: a new PostgreSQL connection costs a server process and cold caches on every request.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'lifelong.sqlite3'}",
        conn_max_age=int(os.environ.get("LIFELONG_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite cannot create the file's folder: a fresh data directory would fail every command.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the worker and the web server write without blocking each other's readers;
    # IMMEDIATE transactions avoid "database is locked" on lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # synchronous=FULL: the WAL is synced at every commit, so an acknowledged write
        # survives a power cut too (NORMAL survives only a killed process). A 32 MiB page
        # cache per connection. The WAL is copied into the database by the web processes'
        # background thread (`lrs.writegate.checkpoint_wal`, every second at most), which
        # never holds up a writer; the automatic checkpoint, which runs inside the commit
        # that crosses it and so under the store's write gate, is only a backstop, at
        # 60,000 pages (about 240 MiB): at 10,000 pages, a load of statement batches (about
        # 900 pages each) crossed it every second or so, and it took a sixth of the time
        # the gate was held (docs/xapi-operations.md).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
            "PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint=60000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Who runs the xAPI store's consumers (the learning projection) for statements received over
# HTTP: "background", a thread of the web process woken by the commit, or "inline", the
# request itself before it answers (docs/xapi.md).
XAPI_HOOK_DELIVERY = os.environ.get("LIFELONG_XAPI_HOOK_DELIVERY", "background")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

#
# Authentication
#

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

#
# Language and time
#

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# Times are stored in UTC; business dates are taken in Asia/Ho_Chi_Minh.
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["lifelong.formats"]

#
# Static files and uploads
#

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {
        # Uploads live under the data directory and are served only by access-checked views.
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "files"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
LIFELONG_MAX_UPLOAD_BYTES = int(os.environ.get("LIFELONG_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

#
# Security
#

# Demo and debug serve plain HTTP on loopback; everything else is behind HTTPS.
SECURE = _flag("LIFELONG_SECURE", default=not (DEBUG or DEMO))
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and _flag("LIFELONG_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31_536_000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LIFELONG_LOG_LEVEL", "WARNING")},
}

# Minutes in one period (tiết) of training: the ledger converts periods to clock hours with it.
LIFELONG_PERIOD_MINUTES = int(os.environ.get("LIFELONG_PERIOD_MINUTES", "45"))

# E-mail (notifications) goes through SMTP (LIFELONG_EMAIL_HOST, default localhost); the demo
# and debug mode without a host write messages to the console instead.
DEFAULT_FROM_EMAIL = os.environ.get("LIFELONG_EMAIL_FROM", "lifelong@localhost")
_email_host = os.environ.get("LIFELONG_EMAIL_HOST", "" if DEBUG or DEMO else "localhost")
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": int(os.environ.get("LIFELONG_EMAIL_PORT", "25")),
                "username": os.environ.get("LIFELONG_EMAIL_USER", ""),
                "password": os.environ.get("LIFELONG_EMAIL_PASSWORD", ""),
                "use_tls": _flag("LIFELONG_EMAIL_TLS"),
                "timeout": 20,
            },
        }
        if _email_host
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
