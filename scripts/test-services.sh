#!/usr/bin/env bash
# Tests run on PostgreSQL and Redis. Uses the ones on 127.0.0.1 if they answer, else installs and starts them.
set -euo pipefail
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

pg_up() { (command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432) ; }
redis_up() { (command -v redis-cli >/dev/null && [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]) ; }

if ! pg_up; then
  echo "==> Starting PostgreSQL"
  dpkg -s postgresql >/dev/null 2>&1 || { $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql; }
  version=$(ls /etc/postgresql | sort -V | tail -1)
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  # Tests connect as postgres over TCP without a password, as CI's database does.
  if ! $SUDO grep -q "notula-test" "$hba"; then
    echo "host all postgres 127.0.0.1/32 trust # notula-test" | $SUDO tee -a "$hba" >/dev/null
    $SUDO sed -i '0,/^host/s//host all postgres 127.0.0.1\/32 trust # notula-test\nhost/' "$hba"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
if ! redis_up; then
  echo "==> Starting Redis"
  dpkg -s redis-server >/dev/null 2>&1 || { $SUDO apt-get update -qq; DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server; }
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 30); do redis_up && break; sleep 0.5; done
fi
pg_up || { echo "PostgreSQL is not reachable on 127.0.0.1:5432"; exit 1; }
redis_up || { echo "Redis is not reachable on 127.0.0.1:6379"; exit 1; }
