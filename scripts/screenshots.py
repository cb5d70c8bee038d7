#!/usr/bin/env python3
"""Refresh docs/screenshots/: runs the dashboard's browser tests, which save a PNG of each main page,
and the end-to-end test (a bot in a simulated meeting, transcribed live by Whisper).

Needs what the tests need (PostgreSQL, Redis, Chromium, espeak-ng, the Whisper weights): `make test`
installs them.
    .venv/bin/python scripts/screenshots.py
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "screenshots"

if __name__ == "__main__":
    env = dict(os.environ, NOTULA_SCREENSHOT_DIR=str(TARGET))
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/dashboard/test_browser.py",
        "tests/dashboard/test_end_to_end.py",
        "-q",
        "-p",
        "no:cacheprovider",
    ]
    code = subprocess.call(command, cwd=ROOT, env=env)
    print("\n".join(sorted(str(p.relative_to(ROOT)) for p in TARGET.glob("*.png"))))
    sys.exit(code)
