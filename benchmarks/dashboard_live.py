#!/usr/bin/env python3
"""How fast the dashboard shows a meeting: event -> caption on screen, and a long meeting's replay.

Starts Daphne on the configured database and Redis (DATABASE_URL, REDIS_URL), signs in with headless
Chromium, then
  1. publishes N `segment.finalized` events (as the transcription pipeline does) and times each one
     from publish() to its line appearing in the page (a MutationObserver stamps the arrival);
  2. opens a meeting whose log holds M events (an hour of talk: finals and partials) and times the
     page from navigation to "live" (the replay over the WebSocket is done), counting what it shows.
Everything it creates is deleted at the end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/notula REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python benchmarks/dashboard_live.py [--events 200] [--log 3600]
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from accounts.services import organization_get_or_create, project_resolve  # noqa: E402
from bots.models import Bot, BotStatus  # noqa: E402
from meetings.events import publish  # noqa: E402
from meetings.models import Meeting  # noqa: E402

PASSWORD = "benchmark-password"
SPEAKERS = [("p1", "Alice Smith"), ("p2", "Bob Jones"), ("p3", "Carol White")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def live_meeting(organization, title: str) -> Meeting:
    project = project_resolve(organization=organization, name=None)
    url = f"https://meet.google.com/ben-chma-{int(time.time() * 1000) % 1000:03d}"
    meeting = Meeting.objects.create(organization=organization, project=project, meeting_url=url,
                                     platform="google_meet", title=title)  # fmt: skip
    Bot.objects.create(organization=organization, project=project, meeting=meeting, meeting_url=url,
                       platform="google_meet", bot_name="Notula", status=BotStatus.IN_CALL)  # fmt: skip
    return meeting


def segment(n: int) -> dict:
    pid, name = SPEAKERS[n % len(SPEAKERS)]
    text = f"Line {n}: the release candidate passed every test and ships on Friday."
    return {"id": f"seg_b{n}", "participant_id": pid, "speaker": name, "text": text,
            "start_ms": n * 4000, "end_ms": n * 4000 + 3500, "started_at": None, "language": "en",
            "confidence": None, "words": [], "utterance_id": None, "revision": 1}  # fmt: skip


def browser() -> webdriver.Chrome:
    options = Options()
    options.binary_location = settings.CHROMIUM_BINARY
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"):  # fmt: skip
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(settings.CHROMEDRIVER), options=options)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200, help="live events to time")
    parser.add_argument("--log", type=int, default=3600, help="events in the replayed meeting's log")
    args = parser.parse_args()

    organization = organization_get_or_create(name=f"Benchmark {int(time.time())}")
    user = get_user_model().objects.create_user(f"bench{int(time.time())}", password=PASSWORD)
    organization.members.add(user)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                               "config.asgi:application"], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    driver = None
    try:
        time.sleep(3)
        driver = browser()
        wait = WebDriverWait(driver, 120)
        driver.get(f"{base}/dashboard/login/")
        driver.find_element(By.ID, "id_username").send_keys(user.username)
        driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
        wait.until(EC.url_contains("/dashboard/bots/"))

        # 1. Live: publish -> on screen.
        meeting = live_meeting(organization, "Live latency")
        driver.get(f"{base}/dashboard/meetings/{meeting.id}/")
        wait.until(EC.text_to_be_present_in_element((By.ID, "captions-state"), "live"))
        driver.execute_script("""
            window.__seen = {};
            new MutationObserver(function (records) {
              records.forEach(function (r) { r.addedNodes.forEach(function (n) {
                var id = n.getAttribute && n.getAttribute('data-segment-id');
                if (id) window.__seen[id] = Date.now();
              }); });
              document.querySelectorAll('#captions [data-segment-id]').forEach(function (n) {
                var id = n.getAttribute('data-segment-id'); if (!window.__seen[id]) window.__seen[id] = Date.now();
              });
            }).observe(document.getElementById('captions'), {childList: true, subtree: true, attributes: true});
        """)
        sent = {}
        for n in range(args.events):
            data = segment(n)
            sent[data["id"]] = time.time() * 1000
            publish(meeting, "segment.finalized", data)
            time.sleep(0.05)
        wait.until(lambda d: d.execute_script("return Object.keys(window.__seen).length") >= args.events)
        seen = driver.execute_script("return window.__seen")
        latencies = sorted(seen[k] - sent[k] for k in sent)
        p50 = statistics.median(latencies)
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(f"live: {args.events} segment.finalized, publish -> on screen: "
              f"median {p50:.0f} ms, p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms")  # fmt: skip

        # 2. Replay: a page opened an hour into a meeting.
        long_meeting = live_meeting(organization, "Replay")
        started = time.monotonic()
        for n in range(args.log // 2):
            data = segment(n)
            partial = {k: data[k] for k in ("participant_id", "speaker", "start_ms", "end_ms", "language")}
            partial.update(utterance_id="", text=data["text"][:30], is_final=False)
            publish(long_meeting, "caption.partial", partial)
            publish(long_meeting, "segment.finalized", data)
        write_s = time.monotonic() - started
        driver.get("about:blank")
        opened = time.monotonic()
        driver.get(f"{base}/dashboard/meetings/{long_meeting.id}/")
        wait.until(EC.text_to_be_present_in_element((By.ID, "captions-state"), "live"))
        replay_s = time.monotonic() - opened
        shown = driver.execute_script("return document.querySelectorAll('#captions .utterance').length")
        partials = driver.execute_script("return document.querySelectorAll('#captions .utterance.partial').length")
        print(f"replay: log of {args.log} events (written in {write_s:.1f} s), page open -> live in "
              f"{replay_s:.2f} s, {shown} lines on screen, {partials} partial")  # fmt: skip
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)
        Meeting.objects.filter(organization=organization).delete()
        organization.delete()
        user.delete()


if __name__ == "__main__":
    main()
