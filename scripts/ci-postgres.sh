#!/usr/bin/env bash
# Installs PostgreSQL from Debian packages (if missing), starts a throwaway cluster that listens
# on 127.0.0.1 only, creates a test database, and prints the URL the PostgreSQL variant of the
# sync suite reads:
#   eval "$(scripts/ci-postgres.sh)"   # exports CASEBOOK_TEST_PG_URL
# Needs root (apt-get, and running the cluster as the postgres user).
set -euo pipefail

PGPORT="${CASEBOOK_PG_PORT:-55432}"
PGDATA_DIR="${CASEBOOK_PG_DIR:-/tmp/casebook-pg}"
DB=casebook_test

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

if ! su postgres -s /bin/sh -c "$BIN/pg_ctl -D '$PGDATA_DIR' status" >/dev/null 2>&1; then
  if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
    mkdir -p "$PGDATA_DIR"
    chown postgres:postgres "$PGDATA_DIR"
    chmod 700 "$PGDATA_DIR"
    su postgres -s /bin/sh -c "$BIN/initdb -D '$PGDATA_DIR' -A trust -U postgres --no-instructions" >&2
  fi
  su postgres -s /bin/sh -c "$BIN/pg_ctl -D '$PGDATA_DIR' -l '$PGDATA_DIR/server.log' -w \
    -o \"-c listen_addresses=127.0.0.1 -c port=$PGPORT -c unix_socket_directories='$PGDATA_DIR' -c max_connections=200\" start" >&2
fi

if ! su postgres -s /bin/sh -c "$BIN/psql -h 127.0.0.1 -p $PGPORT -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname = '$DB'\"" | grep -q 1; then
  su postgres -s /bin/sh -c "$BIN/createdb -h 127.0.0.1 -p $PGPORT -U postgres $DB" >&2
fi

echo "export CASEBOOK_TEST_PG_URL=postgres://postgres@127.0.0.1:$PGPORT/$DB"
