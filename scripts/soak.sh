#!/usr/bin/env bash
# Soak (issue 8; not part of CI): mixed traffic against the release binary for SOAK_MINUTES (30)
# on a generated store (SOAK_EVENTS, 300,000 events), one line per minute: custody reads and
# durable commands running side by side, one 100,000-file inventory CSV download, and the
# server's resident memory, so a leak or a slowdown shows as a trend. Ends with `bangiao verify`.
# Loopback only; bounded in time; the server started here is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${SOAK_MINUTES:-30}
EVENTS=${SOAK_EVENTS:-300000}
SLICE=${SOAK_SLICE:-50}
OUT=target/soak
PORT=${SOAK_PORT:-18480}

cargo build --release -q -p bangiao-cli -p bangiao-bench
BANGIAO=target/release/bangiao
DATA=target/release/bangiao-bench-data
HTTP=target/release/bangiao-bench-http
rm -rf "$OUT" && mkdir -p "$OUT"
"$DATA" --data-dir "$OUT/data" --events "$EVENTS" --inventory-files 100000 >"$OUT/data.txt"
token=$("$BANGIAO" token create --data-dir "$OUT/data" --user soak --role clerk --scope 06 \
  | grep -Eo 'bg_[A-Za-z0-9_-]+' | head -1)
export BANGIAO_TOKEN=$token

"$BANGIAO" serve --data-dir "$OUT/data" --addr "127.0.0.1:$PORT" --grpc-addr "127.0.0.1:$((PORT + 1))" \
  >"$OUT/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done

rss() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$PID/status"; }
field() { grep -Eo "$1" "$2" | head -1 | grep -Eo '[0-9.]+' | tail -1; }
echo "minute | custody req/s | custody p50/p99 ms | commands/s | commands p50/p99 ms | errors | CSV 100k s | RSS MiB"
for minute in $(seq 1 "$MINUTES"); do
  common=(--addr "127.0.0.1:$PORT" --server-pid "$PID" --duration "$SLICE" --warmup 0 --data-dir "$OUT/data")
  "$HTTP" "${common[@]}" --clients 16 custody >"$OUT/custody.txt" &
  reads=$!
  "$HTTP" "${common[@]}" --clients 8 commands --unit 06602 >"$OUT/commands.txt" &
  writes=$!
  csv_start=$(date +%s.%N)
  "$HTTP" --addr "127.0.0.1:$PORT" --data-dir "$OUT/data" inventory --repeat 1 >"$OUT/csv.txt"
  csv=$(echo "$(date +%s.%N) - $csv_start" | bc)
  wait $reads $writes
  errors=$(( $(field '[0-9]+ errors' "$OUT/custody.txt") + $(field '[0-9]+ errors' "$OUT/commands.txt") ))
  printf "%6s | %13s | %18s | %10s | %19s | %6s | %10.1f | %7s\n" "$minute" \
    "$(field '^custody[^:]*: [0-9.]+' "$OUT/custody.txt")" \
    "$(field 'p50 [0-9.]+' "$OUT/custody.txt")/$(field 'p99 [0-9.]+' "$OUT/custody.txt")" \
    "$(field '^commands[^:]*: [0-9.]+' "$OUT/commands.txt")" \
    "$(field 'p50 [0-9.]+' "$OUT/commands.txt")/$(field 'p99 [0-9.]+' "$OUT/commands.txt")" \
    "$errors" "$csv" "$(rss)"
  sleep $((60 - SLICE > 0 ? 60 - SLICE : 0))
done
kill $PID && wait $PID 2>/dev/null || true
trap - EXIT
"$BANGIAO" verify --data-dir "$OUT/data" | tail -2
