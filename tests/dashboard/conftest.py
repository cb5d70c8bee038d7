import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from accounts.services import organization_get_or_create

PASSWORD = "correct horse battery"


def make_user(username: str, *organizations):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    for organization in organizations:
        organization.members.add(user)
    return user


@pytest.fixture
def org(db):
    return organization_get_or_create(name="Acme")


@pytest.fixture
def other_org(db):
    return organization_get_or_create(name="Globex")


@pytest.fixture
def user(org):
    return make_user("alice", org)


@pytest.fixture
def signed_in(client, user):
    """A browser-like Django client signed in as alice, a member of Acme only."""
    client.force_login(user)
    return client


# --- A real server (Daphne: HTTP + WebSocket) and a real browser -----------------------------------

ROOT = Path(__file__).resolve().parent.parent.parent
# scripts/screenshots.py sets this to refresh docs/screenshots/ from the browser tests.
SCREENSHOT_DIR = os.environ.get("NOTULA_SCREENSHOT_DIR", "")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def asgi_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """The production ASGI app under Daphne in its own process, on the test database and Redis."""
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    port = _free_port()
    media = tmp_path_factory.mktemp("media")
    env = dict(os.environ, DATABASE_URL=database_url, REDIS_URL=settings.REDIS_URL, NOTULA_ENV="test")
    env.update(NOTULA_DEBUG="0", NOTULA_MEDIA_ROOT=str(media), NOTULA_TEST_DB_NAME="")
    log_path = tmp_path_factory.mktemp("daphne") / "daphne.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base_url}/healthz", timeout=5).ok:
                    break
            except requests.RequestException:  # not up yet, or slow to answer on a busy machine
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Daphne did not start:\n" + log_path.read_text())
            time.sleep(0.2)
        server_env[base_url] = env
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


# The environment each running server was started with, for processes that must share its database.
server_env: dict[str, dict] = {}


@pytest.fixture
def bots_worker(asgi_server, tmp_path):
    """A real Celery worker on the `bots` queue, with the server's database, Redis and media folder."""
    from config.celery import app

    app.control.purge()  # bots queued by earlier tests (their rows are gone) would only cost time
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "bots", "-P", "solo",
             "--without-mingle", "--without-gossip", "-l", "INFO", "-n", "dashboard-test@%h"],
            cwd=ROOT, env=server_env[asgi_server], stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        yield log_path
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def chromium_options(download_dir: str | None = None) -> Options:
    options = Options()
    options.binary_location = settings.CHROMIUM_BINARY
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost",
    ):
        options.add_argument(flag)
    return options


@pytest.fixture
def browser(tmp_path):
    driver = webdriver.Chrome(service=Service(settings.CHROMEDRIVER), options=chromium_options())
    driver.set_window_size(1280, 900)
    driver.download_dir = str(tmp_path / "downloads")
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": driver.download_dir})
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def shoot(browser):
    """shoot(name): save a PNG of the page to docs/screenshots when asked to, else nothing."""

    def save(name: str, width: int = 1280, height: int = 900) -> None:
        if not SCREENSHOT_DIR:
            return
        browser.set_window_size(width, height)
        time.sleep(0.3)
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(SCREENSHOT_DIR) / f"{name}.png"))
        browser.set_window_size(1280, 900)

    return save
