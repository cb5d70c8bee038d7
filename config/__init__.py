# The Celery app is loaded with Django so that @shared_task binds to it and
# never falls back to the default amqp:// broker.
from config.celery import app as celery_app

__all__ = ("celery_app",)
