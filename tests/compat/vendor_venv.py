"""A vendor's own client, installed from PyPI as a dependency into a virtualenv of its own (the
MeetStream clients both install the package `meetstream`, so they cannot share one), and kept in
NOTULA_TEST_VENV_CACHE (default ~/.cache/notula-test-venvs) so reruns are fast."""

import os
import subprocess
import sys
from pathlib import Path


def _pip_install(python: Path, *args: str) -> None:
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args],
        check=True,
        timeout=900,
    )


def vendor_python(requirement: str, *, first: tuple[str, ...] = (), no_deps: bool = False) -> Path:
    """The Python of a virtualenv holding `requirement` (e.g. `meetstream-sdk==1.0.0`), made once.

    `first`: requirements installed (with their dependencies) before it; `no_deps`: `requirement`
    itself is installed without its declared dependencies, for a client whose declared ones are not
    on PyPI under those names (GL Meemo's `gllm-core`, published there as `gllm-core-binary`)."""
    cache = Path(os.environ.get("NOTULA_TEST_VENV_CACHE") or Path.home() / ".cache" / "notula-test-venvs")
    venv = cache / requirement.replace("==", "-")
    python = venv / "bin" / "python"
    # What was installed, as the marker records it (a plain requirement: just its name, as before).
    wanted = "\n".join((*first, requirement + (" --no-deps" if no_deps else "")))
    marker = venv / ".installed"
    if not marker.is_file() or marker.read_text() != wanted:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, timeout=120)
        if first:
            _pip_install(python, *first)
        _pip_install(python, *(["--no-deps"] if no_deps else []), requirement)
        marker.write_text(wanted)
    return python
