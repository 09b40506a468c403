#!/usr/bin/env bash
# PostgreSQL benchmarks of issue 19, as reported in docs/benchmarks.md ("PostgreSQL"), side by
# side in one run on the same machine with the same load generator:
#   1. durable RecordFile commands over HTTP, 64 clients (bangiao-bench-http commands), with
#      `bangiao serve` on (a) the embedded store, (b) PostgreSQL, (c) PostgreSQL with a
#      synchronous standby; each starting from the same log of BENCH_EVENTS events;
#   2. the store alone (crates/store/benches/append.rs): 1,000,000 events in appends of 1,000,
#      and 64 tasks of single-event appends, on SQLite, PostgreSQL, PostgreSQL + standby.
# PostgreSQL runs from Debian's binaries in clusters made here (initdb, fsync on,
# synchronous_commit on, loopback only, trust authentication), as the `postgres` account when
# run as root; every server started here is stopped. Loopback only; every run is bounded.
#
# Knobs (environment): BENCH_EVENTS (the log the commands start from, 100000), BENCH_DURATION
# (seconds per load run, 10), BENCH_CLIENTS (64), BENCH_STORE (1: also run part 2).
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${BENCH_EVENTS:-100000}
DURATION=${BENCH_DURATION:-10}
CLIENTS=${BENCH_CLIENTS:-64}
STORE_TOO=${BENCH_STORE:-1}
OUT=$PWD/target/bench-data/pg
REPORT=$OUT/report.txt
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || { echo "skipped: postgresql not found"; exit 0; }

cargo build --release -p bangiao-cli -p bangiao-bench
BANGIAO=$PWD/target/release/bangiao
DATA=$PWD/target/release/bangiao-bench-data
HTTP=$PWD/target/release/bangiao-bench-http
rm -rf "$OUT"
mkdir -p "$OUT"
: >"$REPORT"

servers=()
clusters=()
pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$PGBIN/$1" "${@:2}"; else "$PGBIN/$1" "${@:2}"; fi
}
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
  for dir in "${clusters[@]}"; do pg pg_ctl stop -D "$dir" -m fast >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "$*" | tee -a "$REPORT"; }
machine() {
  local others
  others=$(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 > 15 && n++ < 6 { printf "%s(%s%%) ", $2, $1 }' || true)
  say "  [load average $(cut -d' ' -f1-3 /proc/loadavg); busy now: ${others:-nothing}]"
}
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port found" >&2
  return 1
}

# start_pg NAME [PRIMARY_PORT]: a new primary (initdb), or a synchronous standby of the primary
# on PRIMARY_PORT (pg_basebackup -R); sets PG_PORT.
start_pg() {
  local name=$1 primary=${2:-} dir=$OUT/pg-$1
  PG_PORT=$(free_port)
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  if [ -z "$primary" ]; then
    pg initdb -D "$dir/data" -U bangiao --auth=trust -E UTF8 --locale=C >/dev/null
  else
    pg pg_basebackup -D "$dir/data" -R -X stream -c fast \
      -d "host=127.0.0.1 port=$primary user=bangiao application_name=$name"
  fi
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$dir'
cluster_name = '$name'
fsync = on
synchronous_commit = on
wal_level = replica
max_wal_senders = 8
shared_buffers = '256MB'
max_connections = 100
EOF
  pg pg_ctl start -D "$dir/data" -l "$dir/log" -w >/dev/null
  clusters+=("$dir/data")
}

# start_server DATA_DIR [bangiao serve options...]: starts the service, waits until ready.
start_server() {
  local dir=$1
  shift
  PORT=$(free_port)
  BANGIAO_LOG=warn "$BANGIAO" serve --data-dir "$dir" --addr "127.0.0.1:$PORT" --grpc-addr \
    "127.0.0.1:$(free_port)" "$@" >"$OUT/serve-$PORT.log" 2>&1 &
  PID=$!
  servers+=("$PID")
  for _ in $(seq 1 1200); do
    if curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; then return; fi
    if ! kill -0 "$PID" 2>/dev/null; then
      echo "the server stopped; see $OUT/serve-$PORT.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "the server was not ready after 120 s" >&2
  return 1
}
stop_server() {
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
}
token() {
  "$BANGIAO" token create "$@" --user bench --role clerk --scope 06 --issued-by bench |
    grep -Eo 'bg_[A-Za-z0-9_-]+' | head -1
}
commands() {
  machine
  BANGIAO_TOKEN=$1 "$HTTP" --addr "127.0.0.1:$PORT" --server-pid "$PID" --clients "$CLIENTS" \
    --duration "$DURATION" commands | sed "s/^/$2: /" | tee -a "$REPORT"
}

say "# Bàn Giao on PostgreSQL, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, commit $(git rev-parse --short HEAD), $("$PGBIN/postgres" --version)"
say "## the log the commands start from: $EVENTS events (bangiao-bench-data)"
"$DATA" --data-dir "$OUT/source" --events "$EVENTS" | tee -a "$REPORT"

say "## 1a. RecordFile over HTTP, $CLIENTS clients, embedded store (synchronous=FULL)"
cp -r "$OUT/source" "$OUT/embedded"
rm -f "$OUT/embedded/bangiao.lock"
TOKEN=$(token --data-dir "$OUT/embedded")
start_server "$OUT/embedded"
commands "$TOKEN" embedded
stop_server

say "## 1b. the same on PostgreSQL (one server, fsync on, synchronous_commit on)"
start_pg alone
ALONE="postgres://bangiao@127.0.0.1:$PG_PORT/postgres"
"$BANGIAO" migrate --from "$OUT/source" --to "$ALONE" | tail -1 | tee -a "$REPORT"
TOKEN=$(token --store "$ALONE" --data-dir "$OUT/replica-alone")
start_server "$OUT/replica-alone" --store "$ALONE"
commands "$TOKEN" postgres
stop_server

say "## 1c. the same on PostgreSQL with a synchronous standby (streaming, synchronous_standby_names = '*')"
start_pg primary
PRIMARY_PORT=$PG_PORT
start_pg standby "$PRIMARY_PORT"
STANDBY_PORT=$PG_PORT
echo "synchronous_standby_names = '*'" >>"$OUT/pg-primary/data/postgresql.conf"
pg pg_ctl reload -D "$OUT/pg-primary/data" >/dev/null
for _ in $(seq 1 100); do
  state=$(pg psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U bangiao -d postgres -XAtc \
    "SELECT sync_state FROM pg_stat_replication WHERE state = 'streaming'" || true)
  [ "$state" = sync ] && break
  sleep 0.2
done
say "  standby: $state"
PAIR="postgres://bangiao@127.0.0.1:$PRIMARY_PORT,127.0.0.1:$STANDBY_PORT/postgres?target_session_attrs=read-write"
"$BANGIAO" migrate --from "$OUT/source" --to "$PAIR" | tail -1 | tee -a "$REPORT"
TOKEN=$(token --store "$PAIR" --data-dir "$OUT/replica-pair")
start_server "$OUT/replica-pair" --store "$PAIR"
commands "$TOKEN" "postgres + sync standby"
stop_server

if [ "$STORE_TOO" = 1 ]; then
  say "## 2. the store alone (cargo bench -p bangiao-store --bench append)"
  machine
  cargo bench -p bangiao-store --bench append -- batch group pg-batch pg-group pg-sync-batch \
    pg-sync-group 2>/dev/null | tee -a "$REPORT"
fi

echo
echo "==== report ($REPORT) ===="
cat "$REPORT"
