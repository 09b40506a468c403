#!/usr/bin/env bash
# One PostgreSQL node of a primary + synchronous standby pair, for the official postgres image
# (deploy/compose/compose.postgres.yaml and, as a copy, deploy/k8s/postgres/node.sh; the deploy
# test checks that both copies are the same). Both nodes run this same script; the roles follow
# from the data:
#
# * empty data directory and the peer is a primary: copy it with pg_basebackup -R and start as
#   its standby (this is also how an old primary is rebuilt after a failover: empty its volume);
# * empty data directory, no primary to copy, and INITIAL_PRIMARY=true: initdb and start as the
#   first primary (the official entrypoint creates the bangiao database and user);
# * data present: start as it is, except that a former primary (no standby.signal) refuses to
#   start while the peer is a primary: two primaries would split the log. Rebuild it instead.
#
# Environment: NODE_NAME (its application_name, e.g. postgres_1), PEER_HOST, INITIAL_PRIMARY,
# POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, REPLICATION_PASSWORD, PGDATA.
set -euo pipefail

: "${NODE_NAME:?}" "${PEER_HOST:?}" "${REPLICATION_PASSWORD:?}" "${PGDATA:?}"
INITIAL_PRIMARY=${INITIAL_PRIMARY:-false}

# The same settings on both nodes, so that either can be the primary. A commit is acknowledged
# only once the other node has it on disk (synchronous_commit=on, ANY 1 of the pair).
SETTINGS=(
  -c wal_level=replica
  -c max_wal_senders=10
  -c max_replication_slots=10
  -c wal_keep_size=1GB
  -c wal_log_hints=on
  -c hot_standby=on
  -c synchronous_commit=on
  -c "synchronous_standby_names=ANY 1 (postgres_1, postgres_2, postgres_0)"
  -c "cluster_name=${NODE_NAME}"
)

peer_is_primary() {
  [ "$(PGPASSWORD="$REPLICATION_PASSWORD" psql -h "$PEER_HOST" -U replicator -d postgres \
    -XAtc 'SELECT NOT pg_is_in_recovery()' 2>/dev/null || true)" = "t" ]
}

mkdir -p "$PGDATA"
chown postgres:postgres "$PGDATA"
chmod 0700 "$PGDATA"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  for _ in $(seq 1 60); do
    if peer_is_primary; then
      echo "node.sh: copying the primary $PEER_HOST (pg_basebackup), starting as its standby"
      gosu postgres pg_basebackup -D "$PGDATA" -R -X stream --checkpoint=fast \
        -d "host=$PEER_HOST user=replicator password=$REPLICATION_PASSWORD application_name=$NODE_NAME"
      exec gosu postgres postgres "${SETTINGS[@]}"
    fi
    if [ "$INITIAL_PRIMARY" = "true" ]; then
      break
    fi
    sleep 2
  done
  if [ "$INITIAL_PRIMARY" != "true" ]; then
    echo "node.sh: no primary at $PEER_HOST to copy; giving up" >&2
    exit 1
  fi
  echo "node.sh: no primary found: initialising the first primary"
  exec docker-entrypoint.sh postgres "${SETTINGS[@]}"
fi

if [ ! -f "$PGDATA/standby.signal" ] && peer_is_primary; then
  echo "node.sh: $PEER_HOST is the primary now and this node was one: refusing to start a" \
    "second primary. Empty this node's volume to rebuild it as the standby." >&2
  exit 1
fi
exec gosu postgres postgres "${SETTINGS[@]}"
