#!/usr/bin/env bash
# make demo: install what is missing, start Notula on the embedded default (SQLite + a private Redis,
# unless DATABASE_URL / REDIS_URL say otherwise), create a key and an admin, show how to try it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh
export NOTULA_RUN_THEN="$PWD/scripts/demo-intro.sh"
# NOTULA_DEMO_BOTS=12 make demo: twelve simulated meetings, each with a bot; the bots worker makes room
# for all of them.
if [ -n "${NOTULA_DEMO_BOTS:-}" ]; then
  export NOTULA_BOTS_PER_WORKER=${NOTULA_BOTS_PER_WORKER:-$NOTULA_DEMO_BOTS}
fi
exec ./scripts/run.sh
