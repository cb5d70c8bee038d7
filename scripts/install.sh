#!/usr/bin/env bash
# Installs what Notula needs on Debian/Ubuntu: system packages, then a virtualenv in .venv.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

# iproute2: tests/test_multi_host.py makes its machines with `ip netns`. pocketsphinx-testdata: recorded
# speech with its transcript (LibriVox clips, 1.8 MB) that tests/test_transcription_in_simulator.py plays.
APT_PACKAGES=(chromium chromium-driver ffmpeg espeak-ng redis-server curl iproute2 pocketsphinx-testdata)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> Creating .venv"
  "$PYTHON" -m venv .venv || { echo "python3-venv is missing: apt-get install python3-venv"; exit 1; }
  .venv/bin/pip install -q --upgrade pip
fi
# requirements-asr.txt is optional; a missing file must not end the script (pipefail).
stamp=".venv/.installed-$({ cat requirements.txt requirements-dev.txt requirements-asr.txt 2>/dev/null || true; } | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "==> Installing Python packages"
  # Lines marked `# --no-deps` are installed on their own without dependencies: openai-whisper (its
  # triton requirement is GPU-only and ~1 GB), resemblyzer (it requires webrtcvad, which needs the
  # pkg_resources that current setuptools lacks; webrtcvad-wheels is the same module), and the test data
  # of pyannote.audio (none of its code is used). What they really need is listed in the files.
  # requirements-asr.txt is optional.
  for file in requirements-dev.txt requirements-asr.txt; do
    [ -f "$file" ] || continue
    filtered=".$file.deps"  # beside the file, so that its `-r` lines resolve
    grep -v -- '# --no-deps' "$file" > "$filtered"
    .venv/bin/pip install -q -r "$filtered" || { rm -f "$filtered"; exit 1; }
    rm -f "$filtered"
    nodeps=$(grep -- '# --no-deps' "$file" | sed 's/#.*//' | xargs)
    if [ -n "$nodeps" ]; then .venv/bin/pip install -q --no-deps $nodeps; fi
  done
  rm -f .venv/.installed-*
  touch "$stamp"
fi
