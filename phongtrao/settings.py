"""Project settings, read from the environment so one build runs anywhere.

DATABASE_URL (default: a SQLite file under var/), SECRET_KEY (required unless DEBUG is on; then
generated once and kept under var/), DEBUG (off unless set), ALLOWED_HOSTS (comma separated).
The other variables are listed in docs/operations.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("PHONGTRAO_VAR_DIR", BASE_DIR.parent / "var"))


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _local_secret_key() -> str:
    # A development machine keeps one generated key so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _env_flag("DEBUG")
# A demo deployment (`make run`, the browser tests' server) lets the demo password log in.
PHONGTRAO_DEMO = DEBUG or _env_flag("PHONGTRAO_DEMO")
SECRET_KEY = os.environ.get("SECRET_KEY") or (_local_secret_key() if DEBUG else "")
if not SECRET_KEY:
    # A key generated on the server would sign sessions with a secret nobody chose or backs up,
    # different on each app server; a deployment must set its own.
    raise ImproperlyConfigured(
        "Set SECRET_KEY in the environment (or DEBUG=1 on a developer's machine)."
    )
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "phongtrao.core",
    "phongtrao.units",
    "phongtrao.accounts",
    "phongtrao.catalog",
    "phongtrao.notifications",
    "phongtrao.reporting",
    "phongtrao.registries",
    "phongtrao.extraction",
    "phongtrao.documents",
    "phongtrao.analytics",
    "phongtrao.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "phongtrao.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "phongtrao.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "phongtrao.core.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "phongtrao.core.middleware.AppErrorMiddleware",
]

ROOT_URLCONF = "phongtrao.urls"
WSGI_APPLICATION = "phongtrao.wsgi.application"

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
# Django's renderer with selects drawn in Python (core/renderers.py says why).
FORM_RENDERER = "phongtrao.core.renderers.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'phongtrao.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        # A connection kept between requests is checked first, so after the database restarts
        # the next request opens a new one instead of failing on the dead one.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer saves; the timeout waits instead of failing.
    # IMMEDIATE takes the write lock when a transaction begins: a transaction that read first
    # and wrote later would otherwise fail at once ("database is locked") whenever another
    # connection had written in between, instead of waiting its turn.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}
# A streaming replica of the primary (docs/scaling.md): dashboards and pivot tables read there,
# inside core.routers.replica_reads(); everything else stays on the primary. Tests mirror it.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["phongtrao.core.routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "phongtrao.accounts.passwords.NotDemoPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# Production: static files served by the app server itself (WhiteNoise), from the hashed and
# compressed copies `collectstatic` made, cached for ever, so several app servers need no shared
# folder and nginx no copy (docs/deploy.md). Off where nothing was collected (DEBUG, where
# runserver serves them; the test suite), since every {% static %} would fail on the missing
# manifest.
_STATIC_MANIFEST = _env_flag("PHONGTRAO_STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    # A file the disk had no room for is removed and the user told (core/storage.py).
    "default": {"BACKEND": "phongtrao.core.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": "phongtrao.core.staticstorage.StaticFilesStorage"
        if _STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if _STATIC_MANIFEST:
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# A report job writes a file and keeps a worker busy: viewers, who otherwise only read, may start
# one only where the deployment allows it (docs/security.md).
REPORTS_VIEWERS_MAY_GENERATE = _env_flag("PHONGTRAO_VIEWERS_MAY_GENERATE_REPORTS")
# Bounds on every uploaded or imported file, checked before it is parsed (core/uploads.py,
# docs/security.md): its size, what a zip (XLSX, DOCX) unpacks to in all and per part read
# whole, shared strings, rows and columns of a sheet, nesting depth of JSON.
PHONGTRAO_UPLOAD_MAX_BYTES = int(os.environ.get("PHONGTRAO_UPLOAD_MAX_BYTES", 100_000_000))
PHONGTRAO_UPLOAD_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("PHONGTRAO_UPLOAD_MAX_UNCOMPRESSED_BYTES", 500_000_000)
)
PHONGTRAO_UPLOAD_MAX_XML_PART_BYTES = int(
    os.environ.get("PHONGTRAO_UPLOAD_MAX_XML_PART_BYTES", 20_000_000)
)
PHONGTRAO_UPLOAD_MAX_SHARED_STRINGS = int(
    os.environ.get("PHONGTRAO_UPLOAD_MAX_SHARED_STRINGS", 200_000)
)
PHONGTRAO_UPLOAD_MAX_ROWS = int(os.environ.get("PHONGTRAO_UPLOAD_MAX_ROWS", 200_000))
PHONGTRAO_UPLOAD_MAX_COLUMNS = int(os.environ.get("PHONGTRAO_UPLOAD_MAX_COLUMNS", 1_000))
PHONGTRAO_UPLOAD_MAX_JSON_DEPTH = int(os.environ.get("PHONGTRAO_UPLOAD_MAX_JSON_DEPTH", 20))
# Import uploads not confirmed within this many hours are deleted (`phongtrao uploads purge`).
PHONGTRAO_IMPORT_UPLOAD_MAX_AGE_HOURS = int(
    os.environ.get("PHONGTRAO_IMPORT_UPLOAD_MAX_AGE_HOURS", 24)
)

# Background jobs (reports, confirmed imports): PHONGTRAO_JOBS=worker puts them in the
# database queue that `phongtrao worker` runs; unset or "inline", the process that asks for a
# job runs it at once, which needs no worker (`make run`, tests). docs/deploy.md says why.
PHONGTRAO_JOBS = os.environ.get("PHONGTRAO_JOBS", "inline").strip().lower()
if PHONGTRAO_JOBS not in {"inline", "worker"}:
    raise ImproperlyConfigured("PHONGTRAO_JOBS must be 'inline' or 'worker'.")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker renews its claim on a running job this often (a third of it); a job whose claim ran
# out lost its worker (killed, machine gone) and is handed to another. Failures are retried
# up to PHONGTRAO_JOB_ATTEMPTS times, waiting longer after each.
PHONGTRAO_JOB_LEASE_SECONDS = float(os.environ.get("PHONGTRAO_JOB_LEASE_SECONDS", "60"))
PHONGTRAO_JOB_ATTEMPTS = int(os.environ.get("PHONGTRAO_JOB_ATTEMPTS", "3"))
PHONGTRAO_JOB_RETRY_SECONDS = float(os.environ.get("PHONGTRAO_JOB_RETRY_SECONDS", "30"))

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# The user of every request is loaded with their unread notifications counted in the same
# query, so the bell in the menu costs nothing (notifications/backends.py).
# Sessions opened before the bell name Django's own backend: it stays listed so they live on.
AUTHENTICATION_BACKENDS = [
    "phongtrao.notifications.backends.UserWithUnreadBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# E-mail. Notifications are also sent by e-mail, after the change is saved, to users with an
# address, once an SMTP server is named here; without one they stay in the app only.
EMAIL_HOST = os.environ.get("PHONGTRAO_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("PHONGTRAO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("PHONGTRAO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PHONGTRAO_EMAIL_PASSWORD", "")
EMAIL_USE_SSL = _env_flag("PHONGTRAO_EMAIL_USE_SSL")
EMAIL_USE_TLS = not EMAIL_USE_SSL and _env_flag("PHONGTRAO_EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = int(os.environ.get("PHONGTRAO_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("PHONGTRAO_EMAIL_FROM", "phongtrao@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PHONGTRAO_EMAIL_NOTIFICATIONS = bool(EMAIL_HOST)
# The address people open the system at, for the links in e-mails (https://phongtrao.example.vn).
PHONGTRAO_BASE_URL = os.environ.get("PHONGTRAO_BASE_URL", "").rstrip("/")

# Days before a period begins that its figures may already be entered (screen and import).
REPORTING_DAYS_AHEAD = int(os.environ.get("REPORTING_DAYS_AHEAD", "0"))

# Login attempts allowed within the window before further ones are refused unchecked: per user
# name from browsers its owner never logged in from, and per browser its owner did (the
# device cookie); per address, more, since an office shares one (accounts/devices.py).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_ADDRESS_LIMIT = int(os.environ.get("LOGIN_FAILURE_ADDRESS_LIMIT", "50"))
LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "15"))

# A session ends after a working day, or after a while without a request (shared computers).
SESSION_HOURS = float(os.environ.get("PHONGTRAO_SESSION_HOURS", "10"))
SESSION_IDLE_MINUTES = float(os.environ.get("PHONGTRAO_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = int(SESSION_HOURS * 3600)

# Every script and style comes from the app's own static files: no inline code, no eval, so an
# injected <script> or onclick= does not run (core/middleware.py sends these on every response).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()" for feature in ("camera", "microphone", "geolocation", "payment", "usb")
)

if not DEBUG:
    # Production behind TLS. PHONGTRAO_HTTPS=0 serves a closed office network over plain HTTP.
    _https = _env_flag("PHONGTRAO_HTTPS", default=True)
    SECURE_SSL_REDIRECT = _https
    SESSION_COOKIE_SECURE = _https
    CSRF_COOKIE_SECURE = _https
    SECURE_HSTS_SECONDS = 31536000 if _https else 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
    # Preloading is hard to undo (browsers ship the list), so it is asked for, never implied.
    SECURE_HSTS_PRELOAD = _https and _env_flag("PHONGTRAO_HSTS_PRELOAD")
    if _https and not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]  # "preload not set": a choice, see above
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # What the worker took and finished, for journalctl (docs/deploy.md).
    "loggers": {"phongtrao.core.jobs": {"level": "INFO"}},
}
