#!/bin/bash
# Runs once, on an empty data directory (the postgres image's /docker-entrypoint-initdb.d): one
# database and one owner per service, each with its own password from the environment (.env).
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
