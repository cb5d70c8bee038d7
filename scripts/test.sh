#!/usr/bin/env bash
# The whole suite in two passes (what `make test` and CI run). Tests that start no browser, load no model
# and start no stack are independent and light, so they run on two processes (pytest-xdist: each has its
# own test database and Redis database). The browser, ASR and whole-stack tests measure real audio and
# real latencies on a 2-core machine, so they run one at a time.
# Arguments go to both passes: scripts/test.sh tests/test_states.py -x
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
LIGHT="not browser and not asr and not slow"

$PY -m pytest -m "$LIGHT" -n 2 "$@"
light=$?
$PY -m pytest -m "not ($LIGHT)" "$@"
heavy=$?
# 5: a pass that selected no test (a path given holds only one kind).
for rc in $light $heavy; do
  [ "$rc" -eq 0 ] || [ "$rc" -eq 5 ] || exit "$rc"
done
[ "$light" -eq 0 ] || [ "$heavy" -eq 0 ] || exit 5
