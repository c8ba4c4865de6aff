#!/usr/bin/env bash
# Starts a private PostgreSQL cluster for development and tests on a local port.
# Installs Debian's postgresql package when no server binaries are present.
# Idempotent: a running cluster is left alone. Prints the connection string on stdout.
set -euo pipefail

PGPORT="${PGPORT:-55432}"

# Outside the work tree: the postgres user must be able to reach it from any clone location.
PGDATA="${PGDATA:-/var/tmp/reputation-monitor/postgres-$PGPORT}"
PGSOCK="${PGSOCK:-/tmp}"
log() { echo "[postgres] $*" >&2; }

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
BIN="$(find_bin || true)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  log "PostgreSQL server not found; installing Debian's postgresql package"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq postgresql >&2
  BIN="$(find_bin)"
fi

# PostgreSQL refuses to run as root: run it as the 'postgres' user then.
RUNAS=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
  RUNAS=(runuser -u postgres --)
fi

mkdir -p "$PGDATA"
[ "$(id -u)" -eq 0 ] && chown -R postgres "$PGDATA" && chmod 700 "$PGDATA"

if [ ! -f "$PGDATA/PG_VERSION" ]; then
  log "initialising cluster in $PGDATA"
  "${RUNAS[@]}" "$BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >/dev/null
fi

if "${RUNAS[@]}" "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  log "already running on port $PGPORT"
else
  log "starting on 127.0.0.1:$PGPORT"
  "${RUNAS[@]}" "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 \
    -o "-p $PGPORT -k $PGSOCK -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
fi

echo "Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres"
