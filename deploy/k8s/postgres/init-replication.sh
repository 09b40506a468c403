#!/usr/bin/env bash
# Run once by the official image's entrypoint when the first primary is initialised: the role
# the standby copies and streams with, and the pg_hba.conf line that lets it (copied to the
# standby by pg_basebackup, so either node can serve the other after a failover).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
