#!/usr/bin/env bash
# Stops the development PostgreSQL cluster started by postgres-up.sh.
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGDATA="${PGDATA:-/var/tmp/reputation-monitor/postgres-$PGPORT}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
RUNAS=(); [ "$(id -u)" -eq 0 ] && RUNAS=(runuser -u postgres --)
"${RUNAS[@]}" "$BIN/pg_ctl" -D "$PGDATA" stop -m fast
