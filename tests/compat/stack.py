"""The whole stack a dialect's integrator talks to, as processes: Daphne serving the API, the
simulator and the streams; a Celery worker running bots and one delivering webhooks; a simulated
Google Meet meeting in which three people each say one line."""

import os
import signal
import subprocess
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from accounts.services import organization_get_or_create
from config.celery import app
from simulator import services as sim
from tests.live_server import daphne

ROOT = Path(__file__).resolve().parent.parent.parent

LINES = [
    (1.0, "Alice Smith", "Good morning everyone. Today we will talk about the budget for next year."),
    (6.5, "Bob Jones", "Thank you Alice. Sales were very good in the first quarter."),
    (11.5, "Carol White", "We need two new people in the support team."),
]
SCENARIO = {
    "lobby": {"policy": "admit", "after_s": 0.5},
    "participants": [
        {"name": "Alice Smith", "voice": "en-us"},
        {"name": "Bob Jones", "voice": "en-gb"},
        {"name": "Carol White", "voice": "en-us"},
    ],
    "script": [{"at_s": at, "speaker": who, "text": text} for at, who, text in LINES],
}


def words_heard(text: str) -> set[str]:
    return {w.strip(".,?!").lower() for w in text.split()}


def lines_covered(texts: list[str]) -> int:
    """How many of the three lines the transcript carries (most of their words)."""
    heard = words_heard(" ".join(texts))
    return sum(1 for _, _, line in LINES if len(words_heard(line) & heard) >= 0.6 * len(words_heard(line)))


@contextmanager
def _worker(tmp_path: Path, queues: str, name: str):
    db = connection.settings_dict
    env = dict(
        os.environ,
        NOTULA_ENV="test",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=settings.REDIS_URL,
        NOTULA_MEDIA_ROOT=str(settings.MEDIA_ROOT),
        NOTULA_TEST_DB_NAME="",
    )
    with (tmp_path / f"worker-{name}.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queues, "-P", "solo"]
            + ["--without-mingle", "--without-gossip", "-n", f"{name}@%h", "-l", "INFO"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def whole_stack(tmp_path: Path):
    """Yields (base URL, simulated meeting link, organization). Needs a transactional_db test."""
    app.control.purge()  # tasks left by earlier runs in this Redis database
    organization = organization_get_or_create(name="Dialect integrators")
    with ExitStack() as stack:
        base = stack.enter_context(daphne(tmp_path))
        stack.enter_context(_worker(tmp_path, "bots", "bots"))
        stack.enter_context(_worker(tmp_path, "default,webhooks", "main"))
        meeting = sim.sim_meeting_create(organization=organization, platform="google_meet", scenario=SCENARIO)
        yield base, f"{base}/simulator/google_meet/{meeting.pk}", organization
