#!/usr/bin/env bash
# Stops what scripts/run.sh started, exactly: the process groups listed in <var>/run.pids, the
# private Redis last. Asks politely (TERM), then insists (KILL) after NOTULA_STOP_TIMEOUT_S.
set -uo pipefail
trap '' INT TERM HUP  # finish the job once started
cd "$(dirname "$0")/.."
. ./scripts/env.sh
VAR=${NOTULA_VAR_DIR:-$PWD/var}
PIDS_FILE=$VAR/run.pids
[ -s "$PIDS_FILE" ] || { echo "Nothing to stop ($PIDS_FILE is empty or missing)."; exit 0; }
TIMEOUT=${NOTULA_STOP_TIMEOUT_S:-15}

# True while any of the process groups has a live member. Zombies do not count: whoever reaps
# them (run.sh, or init once run.sh is gone) may be slow to, and they hold nothing.
alive() {
  local groups=" $* "
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v groups="$groups" '{
      rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " ")
      if (f[1] != "Z" && index(groups, " " f[3] " ")) { found = 1; exit }
    } END { exit !found }'
}
stop_groups() {
  [ $# -gt 0 ] || return 0
  local group
  for group in "$@"; do kill -TERM "$group" 2>/dev/null || true; done
  for _ in $(seq 1 $((TIMEOUT * 10))); do alive "$@" || return 0; sleep 0.1; done
  for group in "$@"; do kill -KILL -- "-$group" 2>/dev/null || true; done
  for _ in $(seq 1 50); do alive "$@" || return 0; sleep 0.1; done
}

services=()
redis=()
while read -r name pid; do
  [ -n "${pid:-}" ] || continue
  if [ "$name" = redis ]; then redis+=("$pid"); else services+=("$pid"); fi
done <"$PIDS_FILE"

# The services first (the leaders shut their pools and browsers down), then whatever is left of
# their groups, then Redis, which they need until they are gone.
stop_groups "${services[@]}"
for group in "${services[@]}"; do kill -KILL -- "-$group" 2>/dev/null || true; done
stop_groups "${redis[@]}"
rm -f "$PIDS_FILE" "$VAR/celerybeat.pid"
echo "Stopped."
