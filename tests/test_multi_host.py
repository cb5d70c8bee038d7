"""Notula on five machines that share nothing but the network and the media volume (docs/deploy.md):

    db      <net>.10  PostgreSQL and Redis
    web     <net>.2   Daphne (API, simulator, media downloads)
    bots-a  <net>.3   a worker on the `bots` queue
    bots-b  <net>.4   a worker on the `bots` queue
    asr     <net>.5   a worker on asr_live, asr_batch, webhooks and default, and beat

<net> is a documentation range (198.51.100.0/24 unless this machine routes it already).
Each "machine" is a network namespace with its own hostname and working directory (tests/netlab.py);
the only directory two of them share is the media volume. Bots sent through the web host join
simulated meetings on both bot hosts, are transcribed on the ASR host, deliver webhooks (from the ASR
host's worker) to a receiver on the LAN, and their recordings download from the web host. A bot host
that dies mid-call leaves its bot `bot_crashed` (found by beat's reaper on the ASR host) while the
other host's bot carries on; that host is then drained for an upgrade: it takes no new bot and exits
once its call has ended, and the bot it left queued is taken by a fresh worker.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest
import requests

from tests.netlab import Host, Lab

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.asr]

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
# The PostgreSQL server Debian installs (the database host runs its own, from a fresh initdb).
PG_BIN = max(
    Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name), default=Path("/nonexistent")
)
CELERY = [PY, "-m", "celery", "-A", "config"]
SCENARIO = {
    "lobby": {"policy": "admit", "after_s": 1},
    "participants": [{"name": "Alice Smith", "voice": "en-us"}],
    "script": [
        {"at_s": 3, "speaker": "Alice Smith", "text": "Good morning, this is the weekly planning meeting."},
        {"at_s": 20, "speaker": "Alice Smith", "text": "The budget review is due on Friday."},
    ],
    "ends_at_s": 600,
}


def wait_for(check, timeout: float, what: str, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Receiver(BaseHTTPRequestHandler):
    """A webhook endpoint on the LAN: keeps every body it is sent."""

    received: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        Receiver.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def app_env(host: Host, media: Path) -> dict[str, str]:
    """The settings every role needs (docs/deploy.md, Settings by role), nothing from the test's own."""
    subnet = host.address.rsplit(".", 1)[0]
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NOTULA_", "PYTEST", "CELERY_")) and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        HOME=str(host.workdir),
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="config.settings",
        NOTULA_ENV="production",
        NOTULA_SECRET_KEY=SECRET_KEY,
        DATABASE_URL=database_url(subnet),
        REDIS_URL=f"redis://{subnet}.10:6379/0",
        NOTULA_PUBLIC_URL=f"http://{subnet}.2:8000",
        NOTULA_VAR_DIR=str(host.workdir / "var"),
        NOTULA_MEDIA_ROOT=str(media),
        NOTULA_SIMULATOR_ENABLED="true",
        NOTULA_ALLOWED_PRIVATE_NETWORKS=f"{subnet}.0/24",
        # The simulator is served over plain http from another machine: no secure context otherwise.
        NOTULA_BOT_SECURE_ORIGINS=f"http://{subnet}.2:8000",
        NOTULA_ASR_MODE="workers",
        NOTULA_BOTS_PER_WORKER="1",
        # A lost bot host is found within 45 s plus one reaper period (30 s) instead of 90 + 30 (a
        # browser starting on a busy machine may be silent for 25 s).
        NOTULA_BOT_HEARTBEAT_TIMEOUT_S="45",
    )
    return env


SECRET_KEY = secrets.token_urlsafe(40)


def database_url(subnet: str) -> str:
    return f"postgres://postgres@{subnet}.10:5432/notula"


@pytest.fixture
def lab():
    workdir = Path(tempfile.mkdtemp(prefix="notula-lab-"))
    workdir.chmod(0o755)  # PostgreSQL runs as its own user
    lab = Lab(workdir)
    try:
        yield lab
    finally:
        lab.close()
        for host in lab.hosts.values():
            for log in sorted(host.workdir.glob("*.log")):
                sys.stdout.write(f"---- {host.name}/{log.name} (last lines)\n")
                sys.stdout.write("\n".join(log.read_text(errors="replace").splitlines()[-25:]) + "\n")
        if os.environ.get("NOTULA_LAB_LOGS"):  # keep every host's logs, to read after a failure
            for log in workdir.glob("*/*.log"):
                target = Path(os.environ["NOTULA_LAB_LOGS"]) / log.parent.name
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy(log, target / log.name)
        shutil.rmtree(workdir, ignore_errors=True)


def start_database_host(lab: Lab) -> Host:
    db = lab.add_host("db", 10)
    address = db.address
    data = db.workdir / "pgdata"
    subprocess.run(["chown", "postgres:postgres", str(db.workdir)], check=True)
    env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8"}
    lab.run(db, ["runuser", "-u", "postgres", "--", str(PG_BIN / "initdb"), "-U", "postgres", "-A", "trust"]
            + ["--no-sync", "-D", str(data)], env)  # fmt: skip
    with (data / "pg_hba.conf").open("a") as hba:
        hba.write(f"host all all {lab.subnet}.0/24 trust\n")
    lab.spawn(db, "postgres", ["runuser", "-u", "postgres", "--", str(PG_BIN / "postgres"), "-D", str(data)]
              + ["-c", f"listen_addresses={address}", "-c", f"unix_socket_directories={data}"]
              + ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"], env)  # fmt: skip
    lab.spawn(db, "redis", ["redis-server", "--bind", address, "--port", "6379", "--protected-mode", "no"]
              + ["--save", "", "--appendonly", "no", "--dir", str(db.workdir)], env)  # fmt: skip

    def database_answers():
        try:
            with psycopg.connect(f"host={address} user=postgres dbname=postgres", connect_timeout=2) as conn:
                conn.autocommit = True
                conn.execute("CREATE DATABASE notula")
                return True
        except psycopg.OperationalError:
            return False

    wait_for(database_answers, 30, "PostgreSQL on the database host")
    return db


def start_worker(lab: Lab, host: Host, media: Path, queues: str, concurrency: int) -> subprocess.Popen:
    argv = CELERY + ["worker", "-Q", queues, "-c", str(concurrency), "-n", f"{host.name}@%h"]
    argv += ["--prefetch-multiplier", "1", "-l", "INFO"]
    return lab.spawn(host, f"worker-{len(host.processes)}", argv, app_env(host, media))


def wait_ready(lab: Lab, *workers: subprocess.Popen) -> None:
    for worker in workers:
        log = lab.log_paths[worker.pid]
        wait_for(lambda log=log: "ready." in log.read_text(errors="replace"), 90, f"the worker writing {log}")


def bots_running_on(lab: Lab, name: str) -> list[tuple[str, str]]:
    with psycopg.connect(database_url(lab.subnet).replace("postgres://", "postgresql://")) as conn:
        return conn.execute("SELECT id, status FROM bots_bot WHERE worker LIKE %s", (f"{name}:%",)).fetchall()


def test_bots_spread_over_bot_hosts_survive_a_lost_host_and_drain_for_an_upgrade(lab):
    started = time.monotonic()
    start_database_host(lab)
    media = lab.workdir / "shared-media"  # the one shared volume (docs/deploy.md)
    media.mkdir()
    web = lab.add_host("web", 2)
    hosts = {name: lab.add_host(name, octet) for name, octet in (("bots-a", 3), ("bots-b", 4), ("asr", 5))}

    lab.run(web, [PY, str(ROOT / "manage.py"), "migrate", "--noinput"], app_env(web, media), timeout=180)
    key = json.loads(
        lab.run(web, [PY, str(ROOT / "manage.py"), "createapikey", "--org", "Acme", "--json"], app_env(web, media))
    )["key"]
    lab.spawn(web, "web", [PY, "-m", "daphne", "-b", web.address, "-p", "8000", "config.asgi:application"],
              app_env(web, media))  # fmt: skip
    asr = hosts["asr"]
    asr_worker = start_worker(lab, asr, media, "asr_live,asr_batch,webhooks,default", 2)
    lab.spawn(asr, "beat", CELERY + ["beat", "-l", "INFO", "-s", str(asr.workdir / "beat-schedule")],
              app_env(asr, media))  # fmt: skip
    workers = {name: start_worker(lab, hosts[name], media, "bots", 1) for name in ("bots-a", "bots-b")}
    wait_ready(lab, asr_worker, *workers.values())

    base = f"http://{web.address}:8000"
    wait_for(lambda: _answers(f"{base}/healthz"), 60, "the web host")
    api = requests.Session()
    api.headers["Authorization"] = f"Token {key}"
    receiver = ThreadingHTTPServer((lab.root_address, 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook = f"http://{lab.root_address}:{receiver.server_address[1]}/hook"

    def send_bot() -> tuple[str, dict]:
        meeting = api.post(f"{base}/simulator/api/meetings", json={"platform": "google_meet", "scenario": SCENARIO})
        assert meeting.status_code == 201, meeting.text
        bot = api.post(f"{base}/api/v1/bots", json={"meeting_url": meeting.json()["url"], "webhook_url": hook})
        assert bot.status_code == 201, bot.text
        return meeting.json()["id"], bot.json()

    def status(bot: dict) -> str:
        return api.get(f"{base}/api/v1/bots/{bot['id']}").json()["status"]

    sent = [send_bot(), send_bot()]
    for _, bot in sent:
        wait_for(lambda bot=bot: status(bot) == "in_call", 120, f"bot {bot['id']} in the call")
    placed = {name: bots_running_on(lab, name) for name in ("bots-a", "bots-b")}
    assert [len(placed["bots-a"]), len(placed["bots-b"])] == [1, 1], placed  # one bot on each host
    lost_id, kept_id = placed["bots-b"][0][0], placed["bots-a"][0][0]
    (kept_meeting, kept), (_, lost) = sorted(sent, key=lambda pair: pair[1]["id"] != kept_id)
    assert (kept["id"], lost["id"]) == (kept_id, lost_id)

    # bots-b is lost mid-call: kill -9 of everything on it, its cable pulled.
    lost_at = time.monotonic()
    lab.kill_host(hosts["bots-b"])
    wait_for(lambda: status(lost) == "failed", 120, "the lost host's bot marked failed")
    found_after = time.monotonic() - lost_at
    crashed = api.get(f"{base}/api/v1/bots/{lost['id']}").json()
    assert crashed["end_reason"] == "bot_crashed", crashed
    assert status(kept) == "in_call"

    # Upgrade bots-a: drain it (TERM to the worker, docs/deploy.md). It takes no new bot and keeps its call.
    workers["bots-a"].send_signal(15)
    time.sleep(2)
    waiting_meeting, waiting = send_bot()
    time.sleep(8)
    assert status(waiting) == "queued" and status(kept) == "in_call"
    assert workers["bots-a"].poll() is None, "a draining worker stays until its calls end"

    assert api.post(f"{base}/simulator/api/meetings/{kept_meeting}/end").status_code == 200
    wait_for(lambda: status(kept) == "ended", 90, "the kept bot ended")
    workers["bots-a"].wait(60)  # the drained worker left once its call was over
    assert status(waiting) == "queued"

    # The upgraded worker on a fresh bots-b takes the bot that waited.
    reborn = lab.add_host("bots-c", 6)
    wait_ready(lab, start_worker(lab, reborn, media, "bots", 1))
    wait_for(lambda: status(waiting) in ("joining", "waiting_room", "in_call"), 60, "the waiting bot taken")
    assert bots_running_on(lab, "bots-c") and bots_running_on(lab, "bots-c")[0][0] == waiting["id"]

    recordings = api.get(f"{base}/api/v1/meetings/{kept['meeting_id']}/recording").json()["recordings"]
    assert recordings, "no recording"
    for recording in recordings:
        download = requests.get(recording["url"], timeout=30)  # a signed link, served by the web host
        assert download.status_code == 200 and len(download.content) == recording["size_bytes"] > 1000
        if os.environ.get("NOTULA_LAB_LOGS"):  # kept to listen to after the run
            Path(os.environ["NOTULA_LAB_LOGS"], f"recording.{recording['format']}").write_bytes(download.content)
    for recording in recordings:
        sys.stdout.write(f"recording {recording['format']} {recording['size_bytes']} bytes\n")
    transcript = wait_for(
        lambda: api.get(f"{base}/api/v1/meetings/{kept['meeting_id']}/transcript?format=txt").text,
        30,
        "the ASR host's transcript",
    )
    # tiny.en on a busy machine may miss a word or two; the line's last word and its speaker it keeps.
    assert "Alice Smith:" in transcript and "friday" in transcript.lower(), transcript
    kept_hooks = wait_for(
        lambda: [h for h in list(Receiver.received) if json.dumps(h).count(kept["id"])], 30, "webhooks"
    )
    assert any(json.dumps(h).count(lost["id"]) and "bot_crashed" in json.dumps(h) for h in Receiver.received)
    receiver.shutdown()
    sys.stdout.write(
        f"whole test {time.monotonic() - started:.0f} s; lost host found after {found_after:.0f} s; "
        f"{len(kept_hooks)} webhooks for the kept bot\n"
    )
    assert found_after < 120
    assert waiting_meeting


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False
