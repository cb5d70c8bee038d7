"""A vendor's own client, installed from PyPI as a dependency into a virtualenv of its own (the
MeetStream clients both install the package `meetstream`, so they cannot share one), and kept in
NOTULA_TEST_VENV_CACHE (default ~/.cache/notula-test-venvs) so reruns are fast."""

import os
import subprocess
import sys
from pathlib import Path


def vendor_python(requirement: str) -> Path:
    """The Python of a virtualenv holding `requirement` (e.g. `meetstream-sdk==1.0.0`), made once."""
    cache = Path(os.environ.get("NOTULA_TEST_VENV_CACHE") or Path.home() / ".cache" / "notula-test-venvs")
    venv = cache / requirement.replace("==", "-")
    python = venv / "bin" / "python"
    if not (venv / ".installed").is_file():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, timeout=120)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", requirement],
            check=True,
            timeout=600,
        )
        (venv / ".installed").write_text(requirement)
    return python
