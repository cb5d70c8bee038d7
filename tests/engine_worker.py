"""A real Celery worker on the `bots` queue for engine tests, whose bots use the test meeting page's
adapter (tests/engine_adapter.py). Run from the repository root: python -m tests.engine_worker
(ENGINE_WORKER_POOL=threads ENGINE_WORKER_CONCURRENCY=2 for the threads pool)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bots.platforms import registry  # noqa: E402
from tests import engine_adapter  # noqa: E402

registry.adapter_class = lambda platform: engine_adapter.Adapter

from config.celery import app  # noqa: E402

if __name__ == "__main__":
    app.worker_main(
        [
            "worker",
            "-Q",
            "bots",
            "-P",
            os.environ.get("ENGINE_WORKER_POOL", "solo"),
            "-c",
            os.environ.get("ENGINE_WORKER_CONCURRENCY", "1"),
            "--without-mingle",
            "--without-gossip",
            "-l",
            "INFO",
            "-n",
            "engine-test@%h",
        ]
    )
