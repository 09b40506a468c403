#!/usr/bin/env bash
# Service-level benchmarks of issue #3, as reported in docs/benchmarks.md ("The service"):
#   1. rebuild of every read model from 1,000,000 events (`bangiao rebuild`);
#   2. GET custody with 64 concurrent clients (one hot file, then 1,024 files in turn);
#   3. durable RecordFile commands over HTTP with 64 clients, then again with 1 ms per fsync;
#   4. a unit's 100,000-file inventory list as CSV: first byte, whole body, server memory;
#   5. start-up on a 10,000,000-event store with current checkpoints, until /health/ready = 200.
# Loopback only; every run is bounded in time and count; every server started here is stopped.
#
# Knobs (environment): BENCH_EVENTS (1000000), BENCH_BIG_EVENTS (10000000), BENCH_DURATION
# (seconds per load run, 10), BENCH_CLIENTS (64), BENCH_COLD_START (1: also time a start-up after
# dropping the page cache, when allowed), SLOW_FSYNC_DIR (where slow_fsync.c is).
# The 10M store is kept in target/bench-data/10m and reused while its manifest matches;
# the 1M store is written afresh each run (the commands run appends to it).
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${BENCH_EVENTS:-1000000}
BIG_EVENTS=${BENCH_BIG_EVENTS:-10000000}
DURATION=${BENCH_DURATION:-10}
CLIENTS=${BENCH_CLIENTS:-64}
COLD=${BENCH_COLD_START:-1}
OUT=target/bench-data
REPORT=$OUT/report.txt

cargo build --release -p bangiao-cli -p bangiao-bench
BANGIAO=target/release/bangiao
DATA=target/release/bangiao-bench-data
HTTP=target/release/bangiao-bench-http
mkdir -p "$OUT"
: >"$REPORT"

servers=()
cleanup() {
  for pid in "${servers[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${servers[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "$*" | tee -a "$REPORT"; }
# Prints what else is using the CPU: the machine is shared, so each figure says how busy it was.
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
# start_server DATA_DIR [ENV=VALUE...]: starts `bangiao serve` (default settings: durable, info
# logs to a file), waits until it is ready, sets PORT and PID.
start_server() {
  local dir=$1
  shift
  PORT=$(free_port)
  env "$@" "$BANGIAO" serve --data-dir "$dir" --addr "127.0.0.1:$PORT" \
    >"$OUT/serve-$PORT.log" 2>&1 &
  PID=$!
  servers+=("$PID")
  for _ in $(seq 1 1200); do
    if curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; then
      return
    fi
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
http() { "$HTTP" --addr "127.0.0.1:$PORT" --server-pid "$PID" --clients "$CLIENTS" --duration "$DURATION" "$@" | tee -a "$REPORT"; }

say "# Bàn Giao service benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, commit $(git rev-parse --short HEAD)"

say "## data: $EVENTS events through the store's append API"
rm -rf "$OUT/1m"
"$DATA" --data-dir "$OUT/1m" --events "$EVENTS" | tee -a "$REPORT"
# Every request carries a bearer token, as a real client's would (authentication is on the path).
BANGIAO_TOKEN=$("$BANGIAO" token create --data-dir "$OUT/1m" --user bench --role clerk --scope 06 \
  --issued-by bench | grep -Eo 'bg_[A-Za-z0-9_-]+' | head -1)
export BANGIAO_TOKEN

say "## 1. rebuild of every read model from $EVENTS events (bangiao rebuild)"
for run in 1 2 3; do
  machine
  /usr/bin/time -o "$OUT/rebuild-time.txt" -f "  cpu of the rebuild: user %U s, system %S s" \
    "$BANGIAO" rebuild --data-dir "$OUT/1m" 2>/dev/null | sed "s/^/rebuild #$run: /" | tee -a "$REPORT"
  tee -a "$REPORT" <"$OUT/rebuild-time.txt"
done

start_server "$OUT/1m"
say "## 2. GET /api/v1/files/{code}/custody, $CLIENTS clients (server pid $PID)"
machine
http --data-dir "$OUT/1m" custody --one
machine
http --data-dir "$OUT/1m" custody
machine
http --data-dir "$OUT/1m" --client reqwest custody

say "## 4. GET /api/v1/units/{unit}/inventory?format=csv"
machine
http --data-dir "$OUT/1m" inventory --repeat 3

say "## 3. POST /api/v1/fonds/{code}/files (RecordFile), durable, $CLIENTS clients"
machine
http --data-dir "$OUT/1m" commands
stop_server

shim_src="${SLOW_FSYNC_DIR:-../shared/tools/slow-fsync}/slow_fsync.c"
if [ -f "$shim_src" ]; then
  mkdir -p target/slow-fsync
  cc -shared -fPIC -O2 -o target/slow-fsync/libslow_fsync.so "$shim_src" -ldl
  start_server "$OUT/1m" FSYNC_DELAY_US=1000 LD_PRELOAD="$PWD/target/slow-fsync/libslow_fsync.so"
  say "## 3b. the same commands, server under slow-fsync (1 ms per fsync)"
  machine
  http --data-dir "$OUT/1m" commands
  stop_server
else
  say "## 3b. skipped: slow-fsync shim not found at $shim_src"
fi

say "## 5. start-up on $BIG_EVENTS events with current checkpoints"
if ! grep -qs "\"events\": $BIG_EVENTS," "$OUT/10m/bench-manifest.json" ||
  ! grep -qs '"read_model_built": true' "$OUT/10m/bench-manifest.json"; then
  rm -rf "$OUT/10m"
  "$DATA" --data-dir "$OUT/10m" --events "$BIG_EVENTS" --build-read-model | tee -a "$REPORT"
fi
du -sh "$OUT/10m"/events.db "$OUT/10m"/readmodel.db | tr '\t' ' ' | sed 's/^/  size: /' | tee -a "$REPORT"
PORT=$(free_port)
machine
"$HTTP" --addr "127.0.0.1:$PORT" startup --repeat 3 -- \
  "$BANGIAO" serve --data-dir "$OUT/10m" --addr "127.0.0.1:$PORT" | tee -a "$REPORT"
if [ "$COLD" = 1 ] && [ -w /proc/sys/vm/drop_caches ]; then
  sync
  echo 3 >/proc/sys/vm/drop_caches
  say "  cold: page cache dropped before this start"
  "$HTTP" --addr "127.0.0.1:$PORT" startup --repeat 1 -- \
    "$BANGIAO" serve --data-dir "$OUT/10m" --addr "127.0.0.1:$PORT" | tee -a "$REPORT"
else
  say "  cold start skipped (BENCH_COLD_START=0 or /proc/sys/vm/drop_caches not writable)"
fi

echo
echo "==== report ($REPORT) ===="
grep -E '^(#|rebuild|data|read model|custody|commands|inventory|startup|  )' "$REPORT"
