import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("notula")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name) for name in ("default", "bots", "asr", "webhooks")]
app.conf.task_default_queue = "default"
app.conf.task_routes = {
    "bots.tasks.run_bot": {"queue": "bots"},
    "meetings.tasks.transcribe_*": {"queue": "asr"},
    "webhooks.tasks.*": {"queue": "webhooks"},
}
app.autodiscover_tasks()
