"""A vendor's own JavaScript client, installed from npm into a prefix of its own and kept in
NOTULA_TEST_VENV_CACHE (default ~/.cache/notula-test-venvs) so reruns are fast; run with node."""

import os
import shutil
import subprocess
from pathlib import Path


def npm_prefix(package: str, version: str) -> Path:
    """The npm prefix holding `package@version` (e.g. `@meeting-baas/sdk`, `6.0.5`), installed once."""
    cache = Path(os.environ.get("NOTULA_TEST_VENV_CACHE") or Path.home() / ".cache" / "notula-test-venvs")
    prefix = cache / f"{package.strip('@').replace('/', '-')}-{version}"
    marker = prefix / ".installed"
    if not marker.is_file():
        prefix.mkdir(parents=True, exist_ok=True)
        npm = shutil.which("npm") or "npm"
        subprocess.run(
            [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--silent", f"{package}@{version}"],
            check=True,
            timeout=600,
        )
        marker.write_text(f"{package}@{version}")
    return prefix
