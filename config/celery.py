import os
import sys

from celery import Celery
from celery.signals import celeryd_init, task_postrun, task_prerun, worker_init
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("notula")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Queues by urgency, each served by workers of its own (scripts/run.sh), so that long work never
# waits in front of urgent work: a live utterance (`asr_live`, answered in a second) and a webhook
# are never queued behind an hour-long import or re-transcription (`asr_batch`), nor behind a bot's
# whole call (`bots`).
QUEUES = ("default", "bots", "asr_live", "asr_batch", "webhooks")
app.conf.task_queues = [Queue(name) for name in QUEUES]
app.conf.task_default_queue = "default"
app.conf.task_routes = {
    "bots.tasks.run_bot": {"queue": "bots"},
    "meetings.tasks.transcribe_utterance": {"queue": "asr_live"},
    "meetings.tasks.transcribe_recording": {"queue": "asr_batch"},
    "meetings.tasks.transcribe_import": {"queue": "asr_batch"},
    "webhooks.tasks.*": {"queue": "webhooks"},
}
app.autodiscover_tasks()

# Celery's Django fix-up closes every database connection before and after each task, whatever
# CONN_MAX_AGE says: a new PostgreSQL backend per task costs more CPU than a webhook delivery does.
# Its own closing is turned off (a reuse limit it never reaches) and Django's rule applies instead,
# as between web requests: a connection older than CONN_MAX_AGE is closed, one that broke is
# replaced. Workers keep connections for WORKER_DB_CONN_MAX_AGE seconds.
app.conf.CELERY_DB_REUSE_MAX = sys.maxsize


@celeryd_init.connect
def _bots_per_worker(conf=None, options=None, **kwargs) -> None:
    """A worker on the `bots` queue runs NOTULA_BOTS_PER_WORKER bots at once unless `-c` says otherwise,
    however it was started (`celery -A config worker -Q bots`, scripts/run.sh): Celery's own default,
    one process per core, is too many browsers for the machine (docs/bots.md, Concurrency). It fetches
    no bot it has no room for."""
    from django.conf import settings

    options = options or {}
    queues = options.get("queues") or []
    if isinstance(queues, str):
        queues = queues.split(",")
    if "bots" in queues and not options.get("concurrency"):
        conf.worker_concurrency = settings.BOTS_PER_WORKER
    if "bots" in queues:
        # A bot is acknowledged when it starts, so a busy worker would otherwise fetch the next one
        # and hold it until a call ends, while an idle worker on another machine waits: with this a
        # worker takes a bot from the queue only when it has room to run it (docs/deploy.md).
        conf.worker_disable_prefetch = True


@worker_init.connect
def _keep_worker_connections(**kwargs) -> None:
    from django.conf import settings
    from django.db import connections

    for alias in connections:
        connections.settings[alias]["CONN_MAX_AGE"] = settings.WORKER_DB_CONN_MAX_AGE
        connections.settings[alias]["CONN_HEALTH_CHECKS"] = settings.WORKER_DB_CONN_MAX_AGE > 0


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(task=None, **kwargs) -> None:
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
