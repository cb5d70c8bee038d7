import os

# numpy's OpenBLAS starts a thread per core and keeps it spinning after each call. Notula's numpy
# work (audio features, resampling) is far too small to gain from it, and the spinning cost the
# live transcriber 40 % more CPU per Whisper call. Set before anything imports numpy; an operator's
# own value wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# The Celery app is loaded with Django so that @shared_task binds to it and
# never falls back to the default amqp:// broker.
from config.celery import app as celery_app  # noqa: E402

__all__ = ("celery_app",)
