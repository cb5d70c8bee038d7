"""Pictures for the tests, one frame of an ffmpeg built-in source."""

import subprocess
from pathlib import Path


def still_image(path: Path, source: str = "testsrc=s=320x240") -> Path:
    """Write one frame of the lavfi `source` (`testsrc=s=320x240`, `color=c=red:s=320x200`) to `path`."""
    command = ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", source, "-frames:v", "1", str(path)]
    subprocess.run(command, check=True)
    return path
