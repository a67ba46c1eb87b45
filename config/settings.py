"""Settings for the self-evaluation platform: one module, driven by environment variables.

Local defaults are safe for a laptop (DEBUG on, embedded PostgreSQL, eager jobs, e-mail to the console).
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and CELERY_BROKER_URL; with DEBUG off
the security settings below make `manage.py check --deploy` pass.
"""

import logging
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production-0123456789"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# openpyxl parses uploaded workbooks with defusedxml (entity expansion refused), unless lxml is
# importable, which pyHanko brings: keep it on defusedxml, as the Excel import's checks assume.
os.environ.setdefault("OPENPYXL_LXML", "False")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "pgtrigger",
    "pghistory",
    "departments",
    "evaluations",
    "rubrics",
    "publishing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so that every answer gets the policy, error pages included.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    # After the language is chosen, so that the 400 page speaks it.
    "config.middleware.NullCharactersRefusedMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # After authentication: every event the audit triggers write carries who, where and the URL.
    "evaluations.middleware.AuditContextMiddleware",
    # Last, so that the view and its template render inside the tenant's scope.
    "departments.middleware.TenantScopeMiddleware",
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
                "departments.context_processors.workspaces",
                "evaluations.context_processors.inbox",
            ],
        },
    },
]

# --- Database: PostgreSQL everywhere --------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    from config.embedded_postgres import database_url

    DATABASE_URL = database_url(BASE_DIR / "var" / "pgdata")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 0))
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise RuntimeError("DATABASE_URL must point to PostgreSQL (postgres:// or postgresql://).")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth ------------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account from an address after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# --- Internationalisation: Simplified Chinese first, English second -------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Uploaded evidence and published artifacts. S3-compatible object storage through django-storages
# (`pip install -e '.[s3]'`): FILE_STORAGE=storages.backends.s3.S3Storage and the S3_* variables.
FILE_STORAGE = os.environ.get("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
S3_OPTIONS = {
    option: os.environ[variable]
    for option, variable in (
        ("bucket_name", "S3_BUCKET"),
        ("endpoint_url", "S3_ENDPOINT_URL"),
        ("region_name", "S3_REGION"),
        ("access_key", "S3_ACCESS_KEY_ID"),
        ("secret_key", "S3_SECRET_ACCESS_KEY"),
    )
    if os.environ.get(variable)
}
STORAGES = {
    "default": {
        "BACKEND": FILE_STORAGE,
        # Private objects, fetched through our views (which check a publication is not withdrawn).
        "OPTIONS": {**S3_OPTIONS, "default_acl": "private", "file_overwrite": False}
        if FILE_STORAGE.startswith("storages.")
        else {},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- E-mail ----------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
# The site's address as people reach it, for links in e-mails (no trailing slash).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Jobs: Celery with Redis; eager when no broker is configured ----------------------------------
BROKER_CONFIGURED = bool(os.environ.get("CELERY_BROKER_URL"))
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_ALWAYS_EAGER = not BROKER_CONFIGURED
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or (
    CELERY_BROKER_URL if BROKER_CONFIGURED else None
)
CELERY_TASK_ACKS_LATE = True
# A task whose worker process died (killed, out of memory) goes back to the queue, not lost.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Rendering grows a worker's heap: a pool process past this many KiB is replaced after its task.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 600_000)
CELERY_TIMEZONE = TIME_ZONE

# --- Publication (publishing/): signed PDFs, the public portal, downloads -------------------------
# Each bureau's signing certificate: <SIGNING_KEYS_DIR>/<jurisdiction slug>.p12, its password in
# SIGNING_KEY_PASSWORD_<SLUG> (slug upper-cased, - as _) or, for the demo, the file beside it
# (<slug>.p12.password, mode 0600). Never in the database. See docs/publishing.md.
SIGNING_KEYS_DIR = Path(os.environ.get("SIGNING_KEYS_DIR", BASE_DIR / "var" / "keys"))
# When nginx serves the stored files: the internal location that maps to MEDIA_ROOT (e.g.
# "/protected/"); downloads then answer with X-Accel-Redirect and no body. Empty: Django streams.
PUBLISHING_X_ACCEL_PREFIX = os.environ.get("PUBLISHING_X_ACCEL_PREFIX", "")
# Largest PDF /verify/ reads to compare its SHA-256 with the publications'.
PUBLISHING_VERIFY_MAX_BYTES = env_int("PUBLISHING_VERIFY_MAX_BYTES", 50 * 1024 * 1024)

# --- Django REST framework -------------------------------------------------------------------------
# The API speaks JSON (config/api.py): 401 for anonymous callers, bodies read by safe_json,
# refusals as {"detail": …} in the user's language, every refusal in the schema.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["config.api.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["config.api.SafeJSONParser"],
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "config.api_schema.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "预算绩效自评平台 API",
    "DESCRIPTION": "预算部门自评数据、评分表与试算接口。金额单位为万元，数值以十进制字符串表示。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security: strict unless DEBUG -----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Content-Security-Policy (django-csp) on every answer: our own scripts and styles only, no inline
# code (HTMX is a vendored file, its indicator styles are in site.css). The API docs page adds
# what Swagger UI needs, on that view only (config/views.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}


def client_error_without_traceback(record: logging.LogRecord) -> bool:
    """Keep django.request's line for a 4xx, drop its traceback: a refusal is not a fault."""
    if 400 <= getattr(record, "status_code", 500) < 500:
        record.exc_info = None
        record.exc_text = None
    return True


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_error_without_traceback": {
            "()": "django.utils.log.CallbackFilter",
            "callback": client_error_without_traceback,
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "pgserver": {"level": "WARNING"},
        # WeasyPrint reports each step and page of every document at INFO.
        "weasyprint.progress": {"level": "WARNING"},
        # Django logs an expected 403 (PermissionDenied) with its traceback, as if it were a bug.
        "django.request": {"filters": ["client_error_without_traceback"]},
    },
}
