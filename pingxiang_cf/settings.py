"""Settings for pingxiang-cf. Configuration comes only from the environment
(see .env.example); the defaults run the embedded profile: SQLite, eager
Celery, local file storage."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pingxiang_cf.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - refused when DEBUG is off

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY in ("", DEV_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a real secret when DEBUG is off (production)."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "pingxiang_cf",
    "accountability",
    "projects",
    "inspections",
    "assessments",
    "dashboards",  # reads across the four apps (top layer)
    "demo",  # builds the Pingxiang demo data set (top layer)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pingxiang_cf.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pingxiang_cf.urls"
WSGI_APPLICATION = "pingxiang_cf.wsgi.application"
ASGI_APPLICATION = "pingxiang_cf.asgi.application"

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
                "pingxiang_cf.context_processors.notifications",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://… in production); default is an SQLite file.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# static/ holds our own CSS/JS and static/vendor/ (gitignored) the npm packages
# copied by `make assets`; both are served by the app itself, never by a CDN.
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# The app's own sign-in pages (templates/registration/); `/` is the role home.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Celery: no broker configured → tasks run eagerly in-process (embedded profile).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
# Redis redelivers an unacknowledged task after the visibility timeout; it must
# outlast the longest task so a slow task is not run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT * 2}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pingxiang_cf.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "pingxiang_cf.api.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "pingxiang_cf.api.exceptions.exception_handler",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "pingxiang_cf.api.pagination.PagePagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "pingxiang-cf API",
    "DESCRIPTION": "惩防体系项目化管理系统 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# API tokens (pingxiang_cf/tokens.py): default and longest validity, in days.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)

# Demo accounts created by `load_pingxiang_demo`.
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "Pingxiang-1335")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# The visibility rule's per-user facts and the unit model (pingxiang_cf/scope.py).
PXCF_SCOPE_RESOLVER = "accountability.selectors.user_scope"
PXCF_UNIT_MODEL = "accountability.models.Unit"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "pingxiang_cf.backends.RoleBackend",
]

# Project workspace rules (projects/services.py).
# Largest evidence file accepted, in bytes (default 20 MB).
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
# How long the file a background job produced (a PDF batch, a large export)
# stays downloadable, in hours (pingxiang_cf/jobs.py).
JOB_FILE_RETENTION_HOURS = env_int("JOB_FILE_RETENTION_HOURS", 72)
# Early warning: yellow when verified progress is behind plan by more than
# WARNING_YELLOW_MARGIN points or the due date is within WARNING_DUE_SOON_DAYS
# days; red when overdue or behind by more than WARNING_RED_MARGIN points.
WARNING_YELLOW_MARGIN = env_int("WARNING_YELLOW_MARGIN", 10)
WARNING_RED_MARGIN = env_int("WARNING_RED_MARGIN", 30)
WARNING_DUE_SOON_DAYS = env_int("WARNING_DUE_SOON_DAYS", 14)
# Seconds between a project or ledger write and the dashboards' rollup refresh
# it queues (a burst of writes costs one refresh).
DASHBOARD_REFRESH_DELAY = env_int("DASHBOARD_REFRESH_DELAY", 30)
