#!/bin/bash
# Runs once, on an empty data directory (the postgres image's /docker-entrypoint-initdb.d): one
# database and one owner per service, each with its own password from the environment (.env). The
# owner runs the service's migrations. users-service runs as a role of its own, users_app
# (USERS_DB_APP_PASSWORD), which the migrations grant only what the service does: it may insert into
# and read the audit log, never change, delete, truncate or alter it (db/migration-postgresql/V11).
set -euo pipefail
for service in users bugs notificator; do
  var="${service^^}_DB_PASSWORD"
  password="${!var:?$var is not set: scripts/compose.sh up writes a .env with random values}"
  psql -v ON_ERROR_STOP=1 -q --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v name="$service" -v password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done
app_password="${USERS_DB_APP_PASSWORD:?USERS_DB_APP_PASSWORD is not set: scripts/compose.sh up writes a .env with random values}"
psql -v ON_ERROR_STOP=1 -q --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v password="$app_password" <<'SQL'
CREATE ROLE users_app LOGIN PASSWORD :'password';
GRANT CONNECT ON DATABASE users TO users_app;
SQL
