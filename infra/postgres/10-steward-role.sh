#!/bin/sh
# Runs once, on the first start of an empty data volume (the postgres image's
# /docker-entrypoint-initdb.d), as the image's superuser. Creates the role Steward logs in as:
# not a superuser; CREATEROLE to create each tenant's NOLOGIN role; NOINHERIT so a transaction
# that forgot SET LOCAL ROLE sees no tenant data; owner of its database and of `public` (see
# the README, "Running in production").
set -eu
: "${STEWARD_DB_PASSWORD:?STEWARD_DB_PASSWORD must be set (infra/.env)}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v password="$STEWARD_DB_PASSWORD" <<'SQL'
CREATE ROLE steward LOGIN PASSWORD :'password' NOSUPERUSER NOCREATEDB CREATEROLE NOINHERIT;
CREATE DATABASE steward OWNER steward;
\connect steward
ALTER SCHEMA public OWNER TO steward;
REVOKE ALL ON DATABASE steward FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE steward TO steward;
SQL
