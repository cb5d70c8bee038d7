#!/usr/bin/env bash
# Starts Notula: web (Daphne, HTTP + WebSocket), a bots worker, a worker for webhooks and the default
# queue, one for batch transcription (and one for live utterances when NOTULA_ASR_MODE=workers), beat.
# With REDIS_URL unset it first starts a private Redis on a unix socket in the var dir (the embedded
# default); with DATABASE_URL unset the database is SQLite in the var dir.
# Logs go to <var>/log/. Ctrl-C stops everything. NOTULA_RUN_DETACH=1 returns once it is up;
# scripts/stop.sh (make stop) stops it then. <var>/run.pids lists every process started ("name pid"),
# each the leader of its own process group.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. ./scripts/env.sh
PY=$ROOT/.venv/bin/python
HOST=${NOTULA_HOST:-127.0.0.1}
PORT=${NOTULA_PORT:-8000}
VAR=${NOTULA_VAR_DIR:-$ROOT/var}
mkdir -p "$VAR"
VAR=$(cd "$VAR" && pwd)
export NOTULA_VAR_DIR=$VAR
LOG=$VAR/log
PIDS_FILE=$VAR/run.pids
mkdir -p "$LOG" "$VAR/media"
export NOTULA_PUBLIC_URL=${NOTULA_PUBLIC_URL:-http://$HOST:$PORT}

if [ -s "$PIDS_FILE" ]; then
  while read -r _ pid; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "Notula already runs from $VAR (pid $pid); stop it first: scripts/stop.sh"
      exit 1
    fi
  done <"$PIDS_FILE"
fi
: >"$PIDS_FILE"

started=()
# Each service leads its own process group (setsid), so stopping it also stops what it spawned
# (Celery's pool processes, the bots' browsers).
start() {
  local name=$1
  shift
  setsid "$@" >"$LOG/$name.log" 2>&1 </dev/null &
  started+=("$!")
  echo "$name $!" >>"$PIDS_FILE"
}
stop() {
  # A second Ctrl-C (or a TERM sent to the whole group) must not cut the shutdown short.
  trap '' INT TERM
  trap - EXIT
  echo
  echo "==> Stopping Notula"
  NOTULA_VAR_DIR=$VAR setsid "$ROOT/scripts/stop.sh" >/dev/null &
  local stopper=$!
  # Reap the services as they exit, so the stopper does not wait on zombies.
  wait "${started[@]}" 2>/dev/null || true
  wait "$stopper" || true
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

if [ -z "${REDIS_URL:-}" ]; then
  SOCK=$VAR/redis.sock
  if redis-cli -s "$SOCK" ping >/dev/null 2>&1; then
    echo "==> Using the private Redis already running on $SOCK"
  else
    echo "==> Starting the private Redis ($SOCK)"
    rm -f "$SOCK"
    start redis redis-server --port 0 --unixsocket "$SOCK" --unixsocketperm 700 --save "" --appendonly no \
      --dir "$VAR"
    for _ in $(seq 1 50); do redis-cli -s "$SOCK" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis-cli -s "$SOCK" ping >/dev/null 2>&1 || { echo "Redis did not start; see $LOG/redis.log"; exit 1; }
  fi
fi

echo "==> Applying database migrations"
$PY manage.py migrate --noinput >"$LOG/migrate.log" 2>&1 || { cat "$LOG/migrate.log"; exit 1; }

read -r bots_per_worker asr_mode bots_pool < <($PY -c "import os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings');import django;django.setup();from django.conf import settings;print(settings.BOTS_PER_WORKER, settings.ASR_MODE, settings.BOTS_POOL)")

echo "==> Starting web, workers and beat"
start web "$ROOT/.venv/bin/daphne" -b "$HOST" -p "$PORT" config.asgi:application
# NOTULA_BOTS_POOL=threads: the worker's bots are threads of one process, sharing its Python, Django
# and one loaded model (docs/bots.md, Concurrency).
start worker-bots "$ROOT/.venv/bin/celery" -A config worker -Q bots -c "$bots_per_worker" -P "$bots_pool" \
  -n "bots@%h" --prefetch-multiplier 1 -l INFO
# Queues by urgency (config/celery.py): webhooks and the small default tasks on one worker; imports
# and re-transcriptions on their own, at a lower CPU priority, so an hour of audio never delays a
# live caption or a webhook; live utterances on theirs when ASR runs on workers.
start worker "$ROOT/.venv/bin/celery" -A config worker -Q default,webhooks -c 2 -n "main@%h" -l INFO
start worker-asr-batch nice -n 10 "$ROOT/.venv/bin/celery" -A config worker -Q asr_batch -c 1 -n "asr-batch@%h" \
  --prefetch-multiplier 1 -l INFO
if [ "$asr_mode" = "workers" ]; then
  start worker-asr-live "$ROOT/.venv/bin/celery" -A config worker -Q asr_live -c 1 -n "asr-live@%h" -l INFO
fi
start beat "$ROOT/.venv/bin/celery" -A config beat -l INFO -s "$VAR/celerybeat-schedule" \
  --pidfile "$VAR/celerybeat.pid"

up=""
for _ in $(seq 1 150); do
  if curl -fsS "http://$HOST:$PORT/healthz" >/dev/null 2>&1; then up=1; break; fi
  sleep 0.2
done
[ -n "$up" ] || { echo "The web server did not start; see $LOG/web.log"; tail -20 "$LOG/web.log"; exit 1; }
echo "==> Notula is up at http://$HOST:$PORT  (logs in $LOG/)"
if [ "${NOTULA_RUN_DETACH:-0}" = "1" ]; then
  trap - INT TERM EXIT
  exit 0
fi
if [ -n "${NOTULA_RUN_THEN:-}" ]; then "$NOTULA_RUN_THEN"; fi
wait -n "${started[@]}" || true
echo "A process exited; see $LOG/."
