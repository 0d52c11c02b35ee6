#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis on loopback for the test suite.
#   scripts/services.sh start   -> prints the export lines for DATABASE_URL and REDIS_URL
#   scripts/services.sh stop    -> stops both and removes their data
# Ports sit below 32768, outside Linux's ephemeral range, so a client socket in TIME-WAIT cannot
# hold them; if one is taken anyway the next free one is used.
set -euo pipefail
cd "$(dirname "$0")/.."

STATE=${SERVICES_STATE:-.tmp/services}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local port=$1; while ! port_is_free "$port"; do port=$((port + 1)); done; echo "$port"; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

exports() {
  echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$(cat "$STATE/pg_port")/portal"
  echo "export REDIS_URL=redis://127.0.0.1:$(cat "$STATE/redis_port")/0"
}

running() {
  [ -f "$STATE/pg_dir" ] && [ -f "$STATE/redis_port" ] &&
    as_postgres "$PGBIN/pg_ctl" -D "$(cat "$STATE/pg_dir")/data" status >/dev/null 2>&1 &&
    redis-cli -p "$(cat "$STATE/redis_port")" ping 2>/dev/null | grep -q PONG
}

start() {
  # Started again with the same state dir (a second test run): reuse the running pair rather
  # than start another and lose track of the first.
  if running; then exports; return; fi
  stop  # whatever half of a previous pair is left
  mkdir -p "$STATE"
  local pg_port redis_port pg_dir redis_dir
  pg_port=$(free_port "${TEST_PG_PORT:-15433}")
  redis_port=$(free_port "${TEST_REDIS_PORT:-16380}")
  pg_dir=$(mktemp -d /tmp/cpam-pg.XXXXXX)
  redis_dir=$(mktemp -d /tmp/cpam-redis.XXXXXX)
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$pg_dir"
  echo "$pg_dir" >"$STATE/pg_dir"; echo "$pg_port" >"$STATE/pg_port"
  echo "$redis_dir" >"$STATE/redis_dir"; echo "$redis_port" >"$STATE/redis_port"

  as_postgres "$PGBIN/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$pg_dir/initdb.log"
  # fsync off: the data is thrown away after the run, durability buys nothing here.
  as_postgres "$PGBIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  as_postgres "$PGBIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres portal

  redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --dir "$redis_dir" --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log"
  # --daemonize exits 0 even when bind fails: only a PONG proves it is up.
  for _ in $(seq 1 50); do
    redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break
    sleep 0.1
  done
  redis-cli -p "$redis_port" ping | grep -q PONG || { cat "$redis_dir/redis.log" >&2; exit 1; }

  exports
}

stop() {
  if [ -f "$STATE/redis_port" ]; then
    redis-cli -p "$(cat "$STATE/redis_port")" shutdown nosave >/dev/null 2>&1 || true
    rm -rf "$(cat "$STATE/redis_dir")"
  fi
  if [ -f "$STATE/pg_dir" ]; then
    as_postgres "$PGBIN/pg_ctl" -D "$(cat "$STATE/pg_dir")/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$(cat "$STATE/pg_dir")"
  fi
  rm -rf "$STATE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
