#!/usr/bin/env bash
# make demo: install, start Notula on the embedded default, create a key and an admin, show how to try it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh
export NOTULA_RUN_THEN="./scripts/demo-intro.sh"
exec ./scripts/run.sh
