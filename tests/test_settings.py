"""Settings from the environment: the embedded default with nothing set, the services when set."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from django.conf import settings
from config.celery import app
print(json.dumps({
    "env": settings.NOTULA_ENV,
    "debug": settings.DEBUG,
    "db_engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "redis": settings.REDIS_URL,
    "broker": settings.CELERY_BROKER_URL,
    "channel_hosts": settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"],
    "cache": settings.CACHES["default"]["LOCATION"],
    "var": str(settings.VAR_DIR),
    "media": str(settings.MEDIA_ROOT),
    "queues": sorted(q.name for q in app.conf.task_queues),
    "routes": app.conf.task_routes,
    "asgi": settings.ASGI_APPLICATION,
    "simulator": settings.SIMULATOR_ENABLED,
    "dedup": settings.NOTULA_DEDUP_WINDOW_S,
}))
"""


def _settings(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NOTULA_", "PYTEST")) and k != "REDIS_URL"}
    clean.pop("DATABASE_URL", None)
    clean.pop("CELERY_BROKER_URL", None)
    clean.update(env, PYTHONPATH=str(ROOT))
    # Run from elsewhere: relative paths must still land in the project.
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd="/tmp", env=clean, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_nothing_set_is_the_embedded_default():
    s = _settings()
    assert s["env"] == "development" and s["debug"] is True and s["simulator"] is True
    assert s["db_engine"] == "django.db.backends.sqlite3"
    assert s["db_name"] == str(ROOT / "var" / "notula.sqlite3")
    assert s["redis"] == f"unix://{ROOT / 'var' / 'redis.sock'}"
    assert s["broker"] == f"redis+socket://{ROOT / 'var' / 'redis.sock'}"
    assert s["channel_hosts"] == [s["redis"]] and s["cache"] == s["redis"]
    assert s["media"] == str(ROOT / "var" / "media")
    assert s["queues"] == ["asr_batch", "asr_live", "bots", "default", "webhooks"]
    assert s["routes"]["meetings.tasks.transcribe_utterance"] == {"queue": "asr_live"}
    assert s["routes"]["meetings.tasks.transcribe_import"] == {"queue": "asr_batch"}
    assert s["routes"]["bots.tasks.run_bot"] == {"queue": "bots"}
    assert s["asgi"] == "config.asgi.application"
    assert s["dedup"] == 300


def test_empty_values_mean_the_default_as_in_a_copied_env_example():
    s = _settings(DATABASE_URL="", REDIS_URL="", NOTULA_DEDUP_WINDOW_S="", NOTULA_DEBUG="", NOTULA_VAR_DIR="")
    assert s["db_engine"] == "django.db.backends.sqlite3" and s["redis"].startswith("unix://")
    assert s["dedup"] == 300 and s["debug"] is True


def test_services_when_set():
    s = _settings(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/notula_prod",
        REDIS_URL="redis://127.0.0.1:6379/3",
        NOTULA_ENV="production",
        NOTULA_VAR_DIR="/srv/notula",
        NOTULA_DEDUP_WINDOW_S="60",
    )
    assert s["db_engine"] == "django.db.backends.postgresql" and s["db_name"] == "notula_prod"
    assert s["redis"] == s["broker"] == s["cache"] == "redis://127.0.0.1:6379/3"
    assert s["debug"] is False and s["simulator"] is False
    assert s["var"] == "/srv/notula" and s["media"] == "/srv/notula/media"
    assert s["dedup"] == 60


def test_relative_var_dir_is_relative_to_the_project():
    s = _settings(NOTULA_VAR_DIR="./data")
    assert s["var"] == str(ROOT / "data")
    assert s["db_name"] == str(ROOT / "data" / "notula.sqlite3")
