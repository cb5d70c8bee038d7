"""Notula settings: every value comes from the environment; `.env.example` lists them all.

With nothing set Notula runs on the embedded default: SQLite in ./var/ and a private Redis on a
unix socket in ./var/ (started by `make demo` / `make run`). Set DATABASE_URL and REDIS_URL to run
on PostgreSQL and a shared Redis.
"""

import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NOTULA_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw not in (None, "") else default


# development | test | production; a pytest run is `test` unless told otherwise.
NOTULA_ENV = env("NOTULA_ENV", "test" if "pytest" in sys.modules else "development")
IS_PRODUCTION = NOTULA_ENV == "production"
TESTING = NOTULA_ENV == "test"

SECRET_KEY = env("NOTULA_SECRET_KEY", "dev-only-insecure-key-change-me")
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
    "simulator",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
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
TEST_REDIS_URL = "redis://127.0.0.1:6379/15"
DATABASE_URL = env("DATABASE_URL", TEST_DATABASE_URL if TESTING else f"sqlite:///{VAR_DIR / 'notula.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
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
MEDIA_ROOT = Path(env("NOTULA_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
LOGIN_URL = "/dashboard/login/"
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/dashboard/login/"

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.authentication.HasApiKey"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["accounts.authentication.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": env("NOTULA_API_RATE_LIMIT", "600/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Notula API",
    "DESCRIPTION": "Send bots into meetings, get live captions, transcripts, recordings and events.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI from the installed package: the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Notula ---------------------------------------------------------------------------------------
# A second bot for the same meeting (or the same deduplication_key) within this window is a 409.
NOTULA_DEDUP_WINDOW_S = env_int("NOTULA_DEDUP_WINDOW_S", 300)
DEFAULT_BOT_NAME = env("NOTULA_DEFAULT_BOT_NAME", "Notula")
# The scripted meeting platform; refused in production unless turned on explicitly.
SIMULATOR_ENABLED = env_bool("NOTULA_SIMULATOR_ENABLED", not IS_PRODUCTION)
# How many bots one worker process runs at once (Celery concurrency of the `bots` queue).
BOTS_PER_WORKER = env_int("NOTULA_BOTS_PER_WORKER", 4)
# A bot that has not heartbeat for this long is marked failed / bot_crashed.
BOT_HEARTBEAT_TIMEOUT_S = env_int("NOTULA_BOT_HEARTBEAT_TIMEOUT_S", 90)
# Webhooks to private, loopback and link-local addresses (development and tests only).
WEBHOOK_ALLOW_PRIVATE = env_bool("NOTULA_WEBHOOK_ALLOW_PRIVATE", not IS_PRODUCTION)
WEBHOOK_TIMEOUT_S = env_float("NOTULA_WEBHOOK_TIMEOUT_S", 10.0)
WEBHOOK_RETRY_WINDOW_S = env_int("NOTULA_WEBHOOK_RETRY_WINDOW_S", 24 * 3600)
WEBHOOK_DISABLE_AFTER_S = env_int("NOTULA_WEBHOOK_DISABLE_AFTER_S", 3 * 24 * 3600)
ASR_BACKEND = env("NOTULA_ASR_BACKEND", "faster-whisper")
ASR_MODEL = env("NOTULA_ASR_MODEL", "tiny.en")
ASR_DEVICE = env("NOTULA_ASR_DEVICE", "cpu")
ASR_COMPUTE_TYPE = env("NOTULA_ASR_COMPUTE_TYPE", "int8")
# inline: transcribe in the bot's process; workers: send audio to the `asr` queue.
ASR_MODE = env("NOTULA_ASR_MODE", "inline")
CHROMIUM_BINARY = env("NOTULA_CHROMIUM_BINARY", "/usr/lib/chromium/chromium")
CHROMEDRIVER = env("NOTULA_CHROMEDRIVER", "/usr/bin/chromedriver")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("NOTULA_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
