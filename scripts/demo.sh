#!/usr/bin/env bash
# make demo: install what is missing, start Notula on the embedded default (SQLite + a private Redis,
# unless DATABASE_URL / REDIS_URL say otherwise), create a key and an admin, show how to try it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh
export NOTULA_RUN_THEN="$PWD/scripts/demo-intro.sh"
exec ./scripts/run.sh
