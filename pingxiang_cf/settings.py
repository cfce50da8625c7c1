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
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc files served by the app (no CDN)
    "pingxiang_cf",
    "accountability",
    "projects",
    "inspections",
    "assessments",
    "dashboards",  # reads across the four apps (top layer)
    "demo",  # builds the Pingxiang demo data set (top layer)
    "security",  # lockouts, password history, second factor, security pages (issue 9)
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
    "pingxiang_cf.middleware.AuditContextMiddleware",
    "pingxiang_cf.middleware.SessionTimeoutMiddleware",
    "pingxiang_cf.middleware.SecurityHeadersMiddleware",
    "security.middleware.PasswordExpiryMiddleware",
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
                "pingxiang_cf.context_processors.navigation",
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

# Password policy (GB/T 22239-2019 8.1.4.1): length, complexity, not like the
# user's name, not common, not one of the last PASSWORD_HISTORY_COUNT, changed
# every PASSWORD_MAX_AGE_DAYS (0: never forced).
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 10)
PASSWORD_MIN_CLASSES = env_int("PASSWORD_MIN_CLASSES", 3)
PASSWORD_HISTORY_COUNT = env_int("PASSWORD_HISTORY_COUNT", 5)
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "pingxiang_cf.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "pingxiang_cf.validators.ComplexityValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CLASSES},
    },
    {"NAME": "security.validators.PasswordHistoryValidator"},
]
# Lockout after LOGIN_FAILURE_LIMIT failed sign-ins in a row, for LOCKOUT_MINUTES.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOCKOUT_MINUTES = env_int("LOCKOUT_MINUTES", 30)
# Credential checks and ended lockouts are deleted after this many days (the
# audit log keeps every sign-in; these rows only feed the failure count).
LOGIN_RECORD_RETENTION_DAYS = env_int("LOGIN_RECORD_RETENTION_DAYS", 90)
# Sessions end after SESSION_IDLE_TIMEOUT seconds without activity and
# SESSION_ABSOLUTE_TIMEOUT seconds after sign-in (pingxiang_cf.middleware).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 8 * 60 * 60)
SESSION_IDLE_EXEMPT_PATHS = ["/notifications/count/"]
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Officials' personal fields are encrypted with these Fernet keys (the first
# encrypts; see pingxiang_cf/fields.py). Development derives one from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
# Behind our own nginx (deploy/nginx.conf), the client address is the last
# X-Forwarded-For hop; off by default (REMOTE_ADDR).
AUDIT_TRUST_X_FORWARDED_FOR = env_bool("AUDIT_TRUST_X_FORWARDED_FOR", False)
PXCF_USER_UNIT_RESOLVER = "security.selectors.user_unit_label"
# Content Security Policy: scripts and styles only from this site, no inline
# script; inline style attributes only (Bootstrap and the admin set some).
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Uploaded files readable by the app's own user and group only.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Production (DEBUG off): HTTPS only. Behind nginx terminating TLS, the proxy
# says so in X-Forwarded-Proto (deploy/nginx.conf).
if not DEBUG:
    if not FIELD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be set when DEBUG is off (production): "
            "personal data is encrypted with it."
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True

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
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "pingxiang_cf.api.schema.add_error_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per choice set (several share field names such as status or kind).
    "ENUM_NAME_OVERRIDES": {
        "AccountabilityMeasureEnum": "accountability.choices.AccountabilityMeasure",
        "ActionItemStatusEnum": "inspections.choices.ActionItemStatus",
        "AssessmentGroupEnum": "assessments.choices.AssessmentGroup",
        "AssessmentStatusEnum": "assessments.choices.AssessmentStatus",
        "AssignmentStatusEnum": "projects.choices.AssignmentStatus",
        "CadreGradeEnum": "assessments.choices.CadreGrade",
        "CycleKindEnum": "inspections.choices.CycleKind",
        "CycleStatusEnum": "inspections.choices.CycleStatus",
        "DeductionSourceEnum": "assessments.choices.DeductionSource",
        "FindingStatusEnum": "inspections.choices.FindingStatus",
        "GradeEnum": "assessments.choices.Grade",
        "GroupPositionEnum": "accountability.choices.GroupPosition",
        "HandlingCategoryEnum": "accountability.choices.HandlingCategory",
        "InspectionKindEnum": "inspections.choices.InspectionKind",
        "InterviewStatusEnum": "inspections.choices.InterviewStatus",
        "LedgerStatusEnum": "projects.choices.LedgerStatus",
        "LetterLevelEnum": "accountability.choices.LetterLevel",
        "LetterReasonEnum": "inspections.choices.LetterReason",
        "NoticeKindEnum": "inspections.choices.NoticeKind",
        "NoticeStatusEnum": "inspections.choices.NoticeStatus",
        "OfficialRankEnum": "accountability.choices.OfficialRank",
        "OutcomeSourceEnum": "accountability.choices.OutcomeSource",
        "OutcomeStatusEnum": "accountability.choices.OutcomeStatus",
        "OversightTierEnum": "accountability.choices.OversightTier",
        "PlanStatusEnum": "inspections.choices.PlanStatus",
        "PlanTaskStatusEnum": "projects.choices.PlanTaskStatus",
        "ProjectCategoryEnum": "projects.choices.ProjectCategory",
        "ProjectStageEnum": "projects.choices.ProjectStage",
        "ProposalKindEnum": "assessments.choices.ProposalKind",
        "ProposalStatusEnum": "assessments.choices.ProposalStatus",
        "ReminderStatusEnum": "inspections.choices.ReminderStatus",
        "ReviewStatusEnum": "accountability.choices.ReviewStatus",
        "RiskCategoryEnum": "accountability.choices.RiskCategory",
        "RiskLevelEnum": "accountability.choices.RiskLevel",
        "RuleKindEnum": "assessments.choices.RuleKind",
        "SchemeStatusEnum": "assessments.choices.SchemeStatus",
        "SeverityEnum": "inspections.choices.Severity",
        "SheetKindEnum": "assessments.choices.SheetKind",
        "SplitKindEnum": "projects.choices.SplitKind",
        "UnitKindEnum": "accountability.choices.UnitKind",
        "UnitTierEnum": "accountability.choices.UnitTier",
        "ResponsibilityLetterStatusEnum": "accountability.choices.LetterStatus",
        "SupervisionLetterStatusEnum": "inspections.choices.LetterStatus",
    },
    # Schema-generation notes (W001) are documentation, not deployment security:
    # kept out of `check --deploy` (the API's own tests check the schema).
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

# Data exchange (pingxiang_cf/exports.py, pingxiang_cf/imports.py): exports of
# more rows than EXPORT_SYNC_MAX_ROWS run as a background job (the file is kept
# JOB_FILE_RETENTION_HOURS); uploads larger than IMPORT_MAX_BYTES, or whose
# unpacked XLSX parts exceed IMPORT_MAX_UNPACKED_BYTES, are refused unread.
EXPORT_SYNC_MAX_ROWS = env_int("EXPORT_SYNC_MAX_ROWS", 5000)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 5000)

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
    # WeasyPrint logs every rendering step at INFO; only its warnings matter.
    "loggers": {"weasyprint": {"level": "WARNING"}},
}

# The visibility rule's per-user facts and the unit model (pingxiang_cf/scope.py).
PXCF_SCOPE_RESOLVER = "accountability.selectors.user_scope"
PXCF_UNIT_MODEL = "accountability.models.Unit"
AUTHENTICATION_BACKENDS = [
    "security.backends.LockoutModelBackend",  # ModelBackend + lockout on every way in
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

# Supervision cycles and notices (inspections/services/notices.py).
# Notice numbers: <prefix>〔year〕N号, N counted within the year of issue.
NOTICE_NUMBER_PREFIX = env_str("NOTICE_NUMBER_PREFIX", "萍纪惩办通")
# At most this many units are named critically (red lights) and praised in a monthly notice.
NOTICE_NAMED_UNITS_MAX = env_int("NOTICE_NAMED_UNITS_MAX", 5)
NOTICE_PRAISED_UNITS_MAX = env_int("NOTICE_PRAISED_UNITS_MAX", 3)
# Units per Celery task when a cycle's documents fan out (semiannual reports).
CYCLE_BATCH_SIZE = env_int("CYCLE_BATCH_SIZE", 20)
# The escalation ladder (inspections/services/letters.py, findings.py): days a unit has
# to answer a supervision letter, days after an overdue answer for the interview, and
# how many days before a letter's or a finding's deadline the reminder goes out.
LETTER_REPLY_DAYS = env_int("LETTER_REPLY_DAYS", 15)
INTERVIEW_DAYS = env_int("INTERVIEW_DAYS", 7)
LETTER_DUE_SOON_DAYS = env_int("LETTER_DUE_SOON_DAYS", 3)
FINDING_DUE_SOON_DAYS = env_int("FINDING_DUE_SOON_DAYS", 7)
# Seconds between a project or ledger write and the dashboards' rollup refresh
# it queues (a burst of writes costs one refresh).
DASHBOARD_REFRESH_DELAY = env_int("DASHBOARD_REFRESH_DELAY", 30)
