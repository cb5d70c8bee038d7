#!/usr/bin/env bash
# Printed once the demo server is up: a fresh API key, where the docs are, and curl lines to try.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
BASE=${NOTULA_PUBLIC_URL:-http://127.0.0.1:8000}
VAR=${NOTULA_VAR_DIR:-$PWD/var}
KEY_JSON=$($PY manage.py createapikey --org Demo --name demo --json)
KEY=$($PY -c "import json,sys;print(json.loads(sys.argv[1])['key'])" "$KEY_JSON")
(umask 077 && echo "$KEY" >"$VAR/demo-api-key")
$PY manage.py demo_setup --api-key "$KEY" --base-url "$BASE" --bots "${NOTULA_DEMO_BOTS:-1}" || true
cat <<TXT

  API key (shown once; also saved in $VAR/demo-api-key):
      $KEY
  API docs:   $BASE/api/docs/
  Try it:
      curl -s -X POST $BASE/api/v1/bots -H "Authorization: Token $KEY" -H "Content-Type: application/json" -d '{"meeting_url": "https://meet.google.com/abc-defg-hij", "bot_name": "Notula"}'
      curl -s $BASE/api/v1/bots -H "Authorization: Token $KEY"

  Ctrl-C stops the demo.
TXT
