#!/usr/bin/env bash
# Runs once, when the postgres image initialises an empty data volume (/docker-entrypoint-initdb.d). Creates the
# monitor's roles so that it never works as the superuser:
#   monitor_owner  owns the database and its public schema (PostgreSQL 15 took CREATE on public from PUBLIC); the
#                  migrations run as it
#   monitor_app    the monitor's normal work; it gets its table rights from the migrations, nothing here
# Passwords are passed as psql variables (:'name'), so psql quotes them.
set -eo pipefail # not -u: the entrypoint sources this file when it is not executable
: "${MONITOR_DB_PASSWORD:?set MONITOR_DB_PASSWORD}"
: "${MONITOR_DB_OWNER_PASSWORD:?set MONITOR_DB_OWNER_PASSWORD}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" -v owner_password="$MONITOR_DB_OWNER_PASSWORD" -v app_password="$MONITOR_DB_PASSWORD" <<'SQL'
CREATE ROLE monitor_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'owner_password';
CREATE ROLE monitor_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'app_password';
ALTER DATABASE :"db" OWNER TO monitor_owner;
ALTER SCHEMA public OWNER TO monitor_owner;
-- Only the monitor's roles may connect (the superuser always can).
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO monitor_app;
SQL
