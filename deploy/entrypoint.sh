#!/bin/sh
# The container's roles (docs/deploy.md). Each `exec`s, so TERM reaches the server or worker itself.
set -eu
role=${1:-web}
[ $# -gt 0 ] && shift
celery="celery -A config"
case "$role" in
  web)
    exec daphne -b 0.0.0.0 -p "${NOTULA_PORT:-8000}" config.asgi:application "$@" ;;
  migrate)
    exec python manage.py migrate --noinput "$@" ;;
  worker-bots)
    # One browser per bot: NOTULA_BOTS_PER_WORKER of them at a time, as processes or as threads of one
    # process (NOTULA_BOTS_POOL). TERM drains (takes no new bot, exits once its calls have ended).
    exec $celery worker -Q bots -P "${NOTULA_BOTS_POOL:-prefork}" -n "bots@%h" --prefetch-multiplier 1 -l INFO "$@" ;;
  worker-asr)
    exec $celery worker -Q asr_live,asr_batch -c "${NOTULA_ASR_WORKER_CONCURRENCY:-1}" -n "asr@%h" \
      --prefetch-multiplier 1 -l INFO "$@" ;;
  worker)
    exec $celery worker -Q default,webhooks -c "${NOTULA_WORKER_CONCURRENCY:-2}" -n "main@%h" -l INFO "$@" ;;
  beat)
    exec $celery beat -l INFO -s "${NOTULA_VAR_DIR}/celerybeat-schedule" "$@" ;;
  manage)
    exec python manage.py "$@" ;;
  *)
    exec "$role" "$@" ;;
esac
