"""Webhook delivery, measured: sustained events per second and publish-to-delivered latency.

    .venv/bin/python benchmarks/webhooks.py [--events 3000] [--rate 300] [--meetings 10]

Uses its own PostgreSQL database (`notula_bench_webhooks`, created afresh and migrated each run; set
BENCH_DATABASE_URL to change it) and REDIS_URL. Starts a local HTTP receiver in its own process and two
Celery worker processes on the `webhooks` queue, then:

1. burst: publishes --events events as fast as the publishers can, over --meetings meetings, and times
   first publish to last delivery (events/s delivered);
2. drain: writes --events deliveries without waking the workers, then wakes them all: what the workers
   alone deliver per second from a backlog (a receiver coming back after an outage);
3. steady: publishes at --rate events/s for --seconds and reports the rates published and delivered,
   and delivery latency p50/p95/p99 (receiver arrival time minus the event's created_at).

Every delivery is checked for order per meeting and a valid signature.
"""

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

from _cpu import CpuByKind
from _setup import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/notula_bench_webhooks"


def _fresh_database(url: str) -> None:
    """Every run starts from an empty database: earlier runs' rows (and their autovacuum) would
    make figures depend on how often the benchmark ran before."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _receiver_process(port_out, log_path: str) -> None:
    """Records `arrival created_at meeting sequence webhook-id` per request, verified later."""
    import django

    django.setup()
    from webhooks.receiver import Receiver

    out = open(log_path, "w", buffering=1)

    def record(item):
        event = json.loads(item.body)
        out.write(
            json.dumps(
                {
                    "at": item.at,
                    "created_at": event["created_at"],
                    "meeting": event["meeting_id"],
                    "sequence": event["sequence"],
                    "headers": {k: v for k, v in item.headers.items() if k.startswith("webhook-")},
                    "body": item.body.decode(),
                }
            )
            + "\n"
        )

    receiver = Receiver(on_request=record).start()
    port_out.put(receiver.port)
    while True:
        time.sleep(3600)


def _start_workers(count: int, concurrency: int, env: dict) -> list[subprocess.Popen]:
    # Delivery waits on the network: threads let one process work on several meetings at once.
    pool = ["--pool=threads", f"--concurrency={concurrency}"] if concurrency > 1 else ["--pool=solo"]
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "webhooks", *pool]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=WARNING"]
    return [
        subprocess.Popen(
            [*command, "-n", f"bench{n}@%h"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for n in range(count)
    ]


def _publisher(meeting_ids: list[str], count: int, rate: float, ready, start, label: str) -> None:
    import django

    django.setup()
    if label == "backlog":
        # Deliveries are written but not woken: the drain phase wakes them all at once.
        import webhooks.services

        webhooks.services.deliveries_enqueue = lambda **kwargs: None
    from meetings.events import EventType, publish
    from meetings.models import Meeting

    meetings = list(Meeting.objects.filter(pk__in=meeting_ids))
    ready.put(1)
    start.wait()
    start_at = start.at.value
    while time.time() < start_at:
        time.sleep(0.001)
    for n in range(count):
        if rate:
            due = start_at + n / rate
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
        caption = {"utterance_id": f"{label}-{n}", "speaker": "Ann", "participant_id": None, "text": f"{label} {n}",
                   "start_ms": n * 100, "end_ms": n * 100 + 100, "language": "en", "is_final": False}  # fmt: skip
        publish(meetings[n % len(meetings)], EventType.CAPTION_PARTIAL, caption)
    # When the last publish returned: process exit (Django, pushes left) is not publishing.
    ready.put(time.time())


def _publish(meeting_ids: list[str], total: int, rate: float, processes: int, label: str) -> tuple[float, float]:
    """Publishes `total` events from `processes` processes; returns when it started and finished."""
    from django.db import connections

    connections.close_all()
    share = [meeting_ids[i::processes] for i in range(processes)]
    # Spawned, not forked: a forked child would share the parent's broker and database sockets.
    spawn = multiprocessing.get_context("spawn")
    ready, start = spawn.Queue(), _StartSignal(spawn)
    procs = [
        spawn.Process(
            target=_publisher, args=(share[i], total // processes, rate / processes if rate else 0, ready, start, label)
        )
        for i in range(processes)
    ]
    for proc in procs:
        proc.start()
    # The clock starts once every publisher has started Django and loaded its meetings: starting
    # a process costs a second or more of CPU, which belongs to no event.
    for _ in procs:
        ready.get(timeout=120)
    start_at = start.go(time.time() + 0.2)
    finished_at = max(ready.get(timeout=600) for _ in procs)
    for proc in procs:
        proc.join()
    return start_at, finished_at


class _StartSignal:
    def __init__(self, context):
        self.event, self.at = context.Event(), context.Value("d", 0.0)

    def go(self, at: float) -> float:
        self.at.value = at
        self.event.set()
        return at

    def wait(self) -> None:
        self.event.wait()


def _read(log_path: str, since: int) -> list[dict]:
    with open(log_path) as f:
        return [json.loads(line) for line in f.readlines()[since:]]


def _progress(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def _wait_for(log_path: str, since: int, count: int, timeout: float) -> list[dict]:
    _progress(f"waiting for {count} deliveries")
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = _read(log_path, since)
        if len(got) >= count:
            return got
        time.sleep(0.2)
    return _read(log_path, since)


def _cpu_s(pids: list[int]) -> float:
    """User + system CPU seconds used so far by these processes."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _children_cpu_s() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _check(items: list[dict], secret: str) -> None:
    from datetime import datetime

    from standardwebhooks.webhooks import Webhook

    verifier = Webhook(secret)
    last: dict[str, int] = {}
    for item in items:
        verifier.verify(item["body"].encode(), item["headers"])
        assert item["sequence"] > last.get(item["meeting"], 0), "out of order"
        last[item["meeting"]] = item["sequence"]
        item["latency_ms"] = (item["at"] - datetime.fromisoformat(item["created_at"]).timestamp()) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=300)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--meetings", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--concurrency", type=int, default=4, help="threads per worker process (1: solo pool)")
    parser.add_argument("--publishers", type=int, default=2)
    args = parser.parse_args()

    db_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    _fresh_database(db_url)
    os.environ.update(
        {
            "DATABASE_URL": db_url,
            "NOTULA_ENV": "development",
            # As in production: with DEBUG on, every query is also formatted and kept in memory.
            "NOTULA_DEBUG": "0",
            "NOTULA_ALLOW_PRIVATE_URLS": "1",
            "NOTULA_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.core.management import call_command

    from accounts.services import organization_get_or_create
    from tests.factories import MeetingFactory
    from webhooks.services import endpoint_create

    call_command("migrate", verbosity=0)
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete("webhooks", *client.keys("notula:webhooks:*"))
    organization = organization_get_or_create(name=f"Benchmark {time.strftime('%Y-%m-%d %H:%M:%S')}")

    log_path = str(ROOT / "var" / "bench-webhooks.log")
    Path(log_path).parent.mkdir(exist_ok=True)
    spawn = multiprocessing.get_context("spawn")
    ports = spawn.Queue()
    receiver = spawn.Process(target=_receiver_process, args=(ports, log_path), daemon=True)
    receiver.start()
    port = ports.get(timeout=10)
    endpoint = endpoint_create(organization=organization, url=f"http://127.0.0.1:{port}/hook")
    meeting_ids = [MeetingFactory(organization=organization).id for _ in range(args.meetings)]

    workers = _start_workers(args.workers, args.concurrency, dict(os.environ))
    from config.celery import app

    deadline = time.time() + 60
    while len(app.control.ping(timeout=0.5) or []) < args.workers and time.time() < deadline:
        pass
    _progress("workers ready")
    results = {}
    try:
        # Warm-up: connections, imports, keep-alive pools.
        _publish(meeting_ids, 100, 0, 1, "warm")
        _wait_for(log_path, 0, 100, 60)
        done = len(_read(log_path, 0))

        _progress("burst")
        pids = [w.pid for w in workers]
        workers_cpu, publishers_cpu, load = _cpu_s(pids), _children_cpu_s(), os.getloadavg()[0]
        start, published_at = _publish(meeting_ids, args.events, 0, args.publishers, "burst")
        got = _wait_for(log_path, done, args.events, 120)
        workers_cpu = _cpu_s(pids) - workers_cpu
        publishers_cpu = _children_cpu_s() - publishers_cpu
        _check(got, endpoint.secret)
        last = max(item["at"] for item in got)
        results["burst"] = {
            "events": len(got),
            "publish_per_s": round(args.events / (published_at - start)),
            "delivered_per_s": round(len(got) / (last - start)),
            "p50_ms": round(percentile([i["latency_ms"] for i in got], 0.5)),
            "p95_ms": round(percentile([i["latency_ms"] for i in got], 0.95)),
            "publisher_cpu_ms_per_event": round(publishers_cpu / len(got) * 1000, 2),
            "worker_cpu_ms_per_event": round(workers_cpu / len(got) * 1000, 2),
            "load_average_before": round(load, 1),
        }
        done += len(got)

        _progress("drain")
        start, published_at = _publish(meeting_ids, args.events, 0, args.publishers, "backlog")
        backlog_publish_per_s = args.events / (published_at - start)
        from webhooks.delivery import stream_kick

        workers_cpu = _cpu_s(pids)
        start = time.time()
        for meeting_id in meeting_ids:
            stream_kick(endpoint_id=endpoint.id, meeting_id=meeting_id, force=True)
        got = _wait_for(log_path, done, args.events, 120)
        _check(got, endpoint.secret)
        last = max(item["at"] for item in got)
        results["drain"] = {
            "events": len(got),
            "publish_alone_per_s": round(backlog_publish_per_s),
            "delivered_per_s": round(len(got) / (last - start)),
            "worker_cpu_ms_per_event": round((_cpu_s(pids) - workers_cpu) / len(got) * 1000, 2),
            "load_average_before": round(os.getloadavg()[0], 1),
        }
        done += len(got)

        _progress("steady")
        load = os.getloadavg()[0]
        total = int(args.rate * args.seconds)
        cpu = CpuByKind(names={receiver.pid: "receiver", "runner": "publishers"}).start()
        start, published_at = _publish(meeting_ids, total, args.rate, args.publishers, "steady")
        cores = cpu.stop()
        got = _wait_for(log_path, done, total, 120)
        _check(got, endpoint.secret)
        latencies = [i["latency_ms"] for i in got]
        arrivals = sorted(item["at"] for item in got)
        tail = latencies[int(len(latencies) * 0.8) :]
        results["steady"] = {
            "offered_per_s": args.rate,
            "events": len(got),
            # What the publishers managed against the schedule, and the pace deliveries arrived at
            # (first to last arrival): at a kept-up rate both equal the offered one. Counting from
            # the first publish instead would charge one delivery latency to the rate.
            "published_per_s": round(total / (published_at - start)),
            "delivered_per_s": round((len(arrivals) - 1) / (arrivals[-1] - arrivals[0])),
            # A backlog building up shows as a last fifth slower than the whole.
            "last_fifth_p95_ms": round(percentile(tail, 0.95)),
            "p50_ms": round(percentile(latencies, 0.5)),
            "p95_ms": round(percentile(latencies, 0.95)),
            "p99_ms": round(percentile(latencies, 0.99)),
            "max_ms": round(max(latencies)),
            "load_average_before": round(load, 1),
            # Cores used while publishing, per kind of process (the machine has two).
            "cores": cores["cores"],
        }
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(10)
        receiver.terminate()
    summary = {"workers": args.workers, "threads_per_worker": args.concurrency, "meetings": args.meetings}
    print(json.dumps({**summary, **results}, indent=2))


if __name__ == "__main__":
    main()
