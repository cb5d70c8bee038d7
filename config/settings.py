"""Notula settings: every value comes from the environment; `.env.example` lists them all.

With nothing set Notula runs on the embedded default: SQLite in ./var/ and a private Redis on a
unix socket in ./var/ (started by `make demo` / `make run`). Set DATABASE_URL and REDIS_URL to run
on PostgreSQL and a shared Redis.
"""

import ipaddress
import os
import sys
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.bots import *  # noqa: F403 (bots, their workers and their browser)
from config.env import env, env_bool, env_int
from config.providers import *  # noqa: F403 (the outside services' settings)
from config.providers import S3_ACCESS_KEY_ID, S3_BUCKET, S3_ENDPOINT_URL, S3_REGION, S3_SECRET_ACCESS_KEY, s3_storage
from config.transcription import *  # noqa: F403 (speech-to-text, diarization, summaries)
from config.webhooks import *  # noqa: F403 (webhook delivery)

BASE_DIR = Path(__file__).resolve().parent.parent


# Relative paths are relative to the project, whatever the working directory of the process.
VAR_DIR = BASE_DIR / env("NOTULA_VAR_DIR", "var")
# Where converted and joined model weights are kept (nothing is ever downloaded).
ASR_MODEL_DIR = env("NOTULA_ASR_MODEL_DIR", str(VAR_DIR / "models"))

# development | test | production; a pytest run is `test` unless told otherwise.
NOTULA_ENV = env("NOTULA_ENV", "test" if "pytest" in sys.modules else "development")
IS_PRODUCTION = NOTULA_ENV == "production"
TESTING = NOTULA_ENV == "test"

SECRET_KEY = env("NOTULA_SECRET_KEY", "dev-only-insecure-key-change-me")
# Fernet keys that encrypt stored secrets (bot accounts, Zoom tokens), comma-separated, newest first;
# empty: one derived from NOTULA_SECRET_KEY. Make one with
# python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
ENCRYPTION_KEYS = [k.strip() for k in env("NOTULA_ENCRYPTION_KEYS", "").split(",") if k.strip()]
DEBUG = env_bool("NOTULA_DEBUG", NOTULA_ENV == "development")
ALLOWED_HOSTS = [h for h in env("NOTULA_ALLOWED_HOSTS", "*").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("NOTULA_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Where integrators and bots reach this server; used to build absolute links.
PUBLIC_URL = env("NOTULA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "accounts",
    "meetings",
    "bots",
    "webhooks",
    "deletion",
    "calendars",
    "simulator",
    "dashboard",
    "compat",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (admin, API docs, dashboard) come from the app itself: Daphne does not serve them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads a body: an oversized API request is a 413 in the API's error shape.
    "common.middleware.ApiBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
# Vendor clients POST without trailing slashes; a redirect would drop the body.
APPEND_SLASH = False

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
ASGI_APPLICATION = "config.asgi.application"

# --- Database -------------------------------------------------------------------------------
# Tests always run on PostgreSQL and Redis (the services CI and `make test` provide).
TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/notula"
# Parallel test workers (pytest-xdist: gw0, gw1, ...) each get a Redis database of their own, counting down
# from 15, as pytest-django gives each its own test database.
TEST_REDIS_URL = f"redis://127.0.0.1:6379/{15 - int(os.environ.get('PYTEST_XDIST_WORKER', 'gw0')[2:] or 0)}"
DATABASE_URL = env("DATABASE_URL", TEST_DATABASE_URL if TESTING else f"sqlite:///{VAR_DIR / 'notula.sqlite3'}")
# Seconds a database connection outlives its web request (0: a new one each time).
DB_CONN_MAX_AGE = env_int("NOTULA_DB_CONN_MAX_AGE", 0)
# Celery workers run many short tasks (webhook deliveries): they keep their connections this long.
WORKER_DB_CONN_MAX_AGE = env_int("NOTULA_WORKER_DB_CONN_MAX_AGE", 300)
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=DB_CONN_MAX_AGE > 0)
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Web, worker and beat share the file; wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
if env("NOTULA_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("NOTULA_TEST_DB_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, channel layer, cache --------------------------------------------------------
REDIS_SOCKET = VAR_DIR / "redis.sock"
REDIS_URL = env("REDIS_URL", TEST_REDIS_URL if TESTING else f"unix://{REDIS_SOCKET}")


def _celery_url(redis_url: str) -> str:
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url[len("unix://") :]
    return redis_url


CELERY_BROKER_URL = env("CELERY_BROKER_URL", _celery_url(REDIS_URL))
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# run_bot lasts as long as a meeting. It is acknowledged on receipt (acks_late off) so the broker
# never redelivers it into a second browser; a worker killed mid-meeting is found by the heartbeat
# reaper instead, which marks the bot failed.
CELERY_TASK_ACKS_LATE = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
CELERY_BEAT_SCHEDULE: dict = {
    "dispatch-scheduled-bots": {"task": "bots.tasks.dispatch_scheduled_bots", "schedule": 10.0},
    "reap-stale-bots": {"task": "bots.tasks.reap_stale_bots", "schedule": 30.0},
    # Re-sends due webhook retries whose task was lost (a worker restart drops scheduled tasks).
    "kick-due-webhooks": {"task": "webhooks.tasks.kick_due_deliveries", "schedule": 10.0},
    "purge-idempotency-records": {"task": "accounts.tasks.purge_idempotency_records", "schedule": 3600.0},
    # Deletes the data of meetings past their retention (docs/data.md); hours are the unit, so a
    # quarter of an hour late at most.
    "delete-expired-data": {"task": "deletion.tasks.delete_expired_data", "schedule": 900.0},
    # The safety net under push: every calendar not read for NOTULA_CALENDAR_RESYNC_INTERVAL_S is read again.
    "resync-calendars": {"task": "calendars.tasks.resync_due_calendars", "schedule": 60.0},
    # Google watch channels and Graph subscriptions expire: opened where missing, renewed before their end.
    "renew-calendar-pushes": {"task": "calendars.tasks.renew_due_calendar_pushes", "schedule": 600.0},
}
CELERY_TASK_ALWAYS_EAGER = False

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "capacity": 2000, "expiry": 60},
    }
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("NOTULA_CACHE_PREFIX", "notula"),
    }
}

# --- Auth, i18n, static ---------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Served straight from the apps' static folders: no collectstatic step to forget. STATIC_ROOT is
# used only once collectstatic has filled it, so its absence is not worth a warning.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
warnings.filterwarnings("ignore", message="No directory at: .*staticfiles", category=UserWarning)
MEDIA_ROOT = BASE_DIR / env("NOTULA_MEDIA_ROOT", str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Where finished media files are kept: `local` (MEDIA_ROOT) or `s3`, any S3-compatible store through
# django-storages. With s3, MEDIA_ROOT is only the scratch space where bots and imports write a file
# before it is uploaded (common/media_store.py), and /media/ answers a short-lived presigned link.
MEDIA_STORAGE = env("NOTULA_MEDIA_STORAGE", "local")
if MEDIA_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured(f"NOTULA_MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}")
CSRF_FAILURE_VIEW = "config.urls.csrf_failure"
LOGIN_URL = "/dashboard/login/"
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/dashboard/login/"

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.authentication.HasApiKey"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON everywhere; the one upload (POST /api/v1/meetings) adds multipart. Anything else is a 415.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_CLASSES": ["accounts.authentication.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": env("NOTULA_API_RATE_LIMIT", "600/min")},
    "DEFAULT_SCHEMA_CLASS": "common.schema.NotulaAutoSchema",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
    # `?format=` is the transcript's export format, not DRF's renderer override (which would 404 on txt/srt).
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Notula API",
    "DESCRIPTION": "Send bots into meetings, get live captions, transcripts, recordings and events.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI from the installed package: the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "BotStatusEnum": "bots.models.BotStatus",
        "RecordingsStatusEnum": ["pending", "ready", "none"],
        "BotAsrBackendEnum": "bots.api.serializers.BOT_ASR_BACKEND_CHOICES",
        "FileAsrBackendEnum": "meetings.api.serializers.ASR_BACKEND_CHOICES",
        "LanguageEnum": "meetings.asr_choices.LANGUAGE_CHOICES",
        "BotAccountProviderEnum": "accounts.models.BotAccount.Provider",
        "CalendarProviderEnum": "calendars.models.Calendar.Provider",
        "TranscriptionProviderEnum": "accounts.models.TranscriptionKey.Provider",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.schema.add_error_component",
        "common.schema.nullable_as_type_list",
        "webhooks.openapi.add_event_webhooks",
        "common.schema.close_request_objects",
        "common.schema.state_input_rules",
        "common.schema.add_links",
    ],
}

# --- Notula ---------------------------------------------------------------------------------------
# Outbound URLs a user gave (webhooks, bot_image_url, file_url, streaming.audio_url) go only to public
# addresses (common/net). Private, loopback, link-local... addresses are allowed in development and tests.
# NOTULA_WEBHOOK_ALLOW_PRIVATE and NOTULA_IMPORT_ALLOW_PRIVATE are older names of the same switch, read when
# it is unset: allowed only if neither of them (each with the same default) says no.
ALLOW_PRIVATE_URLS = env_bool(
    "NOTULA_ALLOW_PRIVATE_URLS",
    env_bool("NOTULA_WEBHOOK_ALLOW_PRIVATE", not IS_PRODUCTION)
    and env_bool("NOTULA_IMPORT_ALLOW_PRIVATE", not IS_PRODUCTION),
)
# Cloud metadata services (169.254.169.254, fd00:ec2::254, ...) hand out credentials: refused even with
# ALLOW_PRIVATE_URLS, in every environment, unless this says otherwise (a local metadata emulator).
ALLOW_METADATA_URLS = env_bool("NOTULA_ALLOW_METADATA_URLS", False)
# Networks (comma-separated CIDR) that count as public although they are not: an internal receiver
# that production must reach. Metadata addresses stay refused.
ALLOWED_PRIVATE_NETWORKS = [
    str(ipaddress.ip_network(n.strip(), strict=False))
    for n in env("NOTULA_ALLOWED_PRIVATE_NETWORKS").split(",")
    if n.strip()
]
# Largest API request body (JSON); a larger one is a 413 `request_too_large`. Uploads: NOTULA_IMPORT_MAX_BYTES.
API_MAX_BODY_BYTES = env_int("NOTULA_API_MAX_BODY_BYTES", 1024 * 1024)
# Largest `limit` of a list page; a larger one is a 400 naming `limit`.
API_MAX_PAGE_SIZE = env_int("NOTULA_API_MAX_PAGE_SIZE", 200)
# Largest message a WebSocket client may send; a larger one closes the socket with code 1009.
WS_MAX_MESSAGE_BYTES = env_int("NOTULA_WS_MAX_MESSAGE_BYTES", 64 * 1024)
# How long an Idempotency-Key's first answer is replayed.
IDEMPOTENCY_TTL_S = env_int("NOTULA_IDEMPOTENCY_TTL_S", 24 * 3600)
# How long a signed media link (recordings, documents, debug files in API answers) works.
MEDIA_LINK_TTL_S = env_int("NOTULA_MEDIA_LINK_TTL_S", 3600)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if MEDIA_STORAGE == "s3":
    if not S3_BUCKET:
        raise ImproperlyConfigured("NOTULA_MEDIA_STORAGE=s3 needs NOTULA_S3_BUCKET")
    STORAGES["default"] = s3_storage(
        S3_BUCKET, S3_ENDPOINT_URL, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, MEDIA_LINK_TTL_S
    )
# A second bot for the same meeting (or the same deduplication_key) within this window is a 409.
NOTULA_DEDUP_WINDOW_S = env_int("NOTULA_DEDUP_WINDOW_S", 300)
DEFAULT_BOT_NAME = env("NOTULA_DEFAULT_BOT_NAME", "Notula")
# Where each vendor API dialect (compat/) is served: a path on this server (a trailing / is ignored).
COMPAT_PREFIXES = {
    "sasha": env("NOTULA_COMPAT_PREFIX_SASHA", "/compat/sasha"),
    "aitronos": env("NOTULA_COMPAT_PREFIX_AITRONOS", "/compat/aitronos"),
    "meetstream": env("NOTULA_COMPAT_PREFIX_MEETSTREAM", "/compat/meetstream"),
    "meetingbaas": env("NOTULA_COMPAT_PREFIX_MEETINGBAAS", "/compat/meetingbaas"),
    "meemo": env("NOTULA_COMPAT_PREFIX_MEEMO", "/compat/meemo"),
}
# The scripted meeting platform; refused in production unless turned on explicitly.
SIMULATOR_ENABLED = env_bool("NOTULA_SIMULATOR_ENABLED", not IS_PRODUCTION)
# Bots, their workers and their browser: config/bots.py; webhook delivery: config/webhooks.py.
# Where the bots take turns to join (bots/join_gate.py): one folder of lock files per machine.
BOT_JOIN_SLOTS_DIR = env("NOTULA_BOT_JOIN_SLOTS_DIR", str(VAR_DIR / "run" / "join-slots"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("NOTULA_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
