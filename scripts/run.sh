#!/usr/bin/env bash
# Starts Notula: web (Daphne, HTTP + WebSocket), a bots worker, a worker for the other queues, and beat.
# With REDIS_URL unset it first starts a private Redis on a unix socket in ./var (the embedded default).
# Logs go to var/log/. Ctrl-C stops everything. Set NOTULA_RUN_DETACH=1 to return once it is up.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${NOTULA_HOST:-127.0.0.1}
PORT=${NOTULA_PORT:-8000}
mkdir -p var/log var/media
if [ -f .env ]; then set -a; . ./.env; set +a; fi
export NOTULA_PUBLIC_URL=${NOTULA_PUBLIC_URL:-http://$HOST:$PORT}

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "==> Stopping Notula"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

if [ -z "${REDIS_URL:-}" ]; then
  if ! redis-cli -s var/redis.sock ping >/dev/null 2>&1; then
    echo "==> Starting the private Redis (var/redis.sock)"
    redis-server --port 0 --unixsocket "$PWD/var/redis.sock" --unixsocketperm 700 --save "" --appendonly no \
      --daemonize yes --pidfile "$PWD/var/redis.pid" --logfile "$PWD/var/log/redis.log"
    for _ in $(seq 1 50); do redis-cli -s var/redis.sock ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
fi

$PY manage.py migrate --noinput >var/log/migrate.log 2>&1 || { cat var/log/migrate.log; exit 1; }

bots_per_worker=$($PY -c "import os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings');import django;django.setup();from django.conf import settings;print(settings.BOTS_PER_WORKER)")

if [ "${NOTULA_RUN_DETACH:-0}" != "1" ]; then trap stop INT TERM EXIT; fi
.venv/bin/daphne -b "$HOST" -p "$PORT" config.asgi:application >var/log/web.log 2>&1 &
pids+=($!)
.venv/bin/celery -A config worker -Q bots -c "$bots_per_worker" -n "bots@%h" --prefetch-multiplier 1 \
  -l INFO >var/log/worker-bots.log 2>&1 &
pids+=($!)
.venv/bin/celery -A config worker -Q default,webhooks,asr -c 2 -n "main@%h" -l INFO >var/log/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A config beat -l INFO -s var/celerybeat-schedule >var/log/beat.log 2>&1 &
pids+=($!)
echo "${pids[*]}" >var/run.pids

for _ in $(seq 1 100); do
  curl -fsS "http://$HOST:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://$HOST:$PORT/healthz" >/dev/null || { echo "Web server did not start; see var/log/web.log"; tail -20 var/log/web.log; exit 1; }
echo "==> Notula is up at http://$HOST:$PORT  (logs in var/log/)"
if [ "${NOTULA_RUN_DETACH:-0}" = "1" ]; then exit 0; fi
if [ -n "${NOTULA_RUN_THEN:-}" ]; then eval "$NOTULA_RUN_THEN"; fi
wait -n "${pids[@]}" || true
echo "A process exited; see var/log/."
