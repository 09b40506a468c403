#!/usr/bin/env bash
# Store append benchmarks, as reported in docs/benchmarks.md: once on the machine's disk, once
# with a 1 ms delay added to every fsync (the slow-fsync shim from ../shared/tools, if present,
# or from SLOW_FSYNC_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p bangiao-store --bench append --no-run
bench=(cargo bench -q -p bangiao-store --bench append --)

"${bench[@]}" batch group single

shim_src="${SLOW_FSYNC_DIR:-../shared/tools/slow-fsync}/slow_fsync.c"
if [ -f "$shim_src" ]; then
  mkdir -p target/slow-fsync
  cc -shared -fPIC -O2 -o target/slow-fsync/libslow_fsync.so "$shim_src" -ldl
  FSYNC_DELAY_US=1000 LD_PRELOAD="$PWD/target/slow-fsync/libslow_fsync.so" \
    BENCH_GROUP_APPENDS=64000 BENCH_SINGLE_APPENDS=3200 "${bench[@]}" group single
else
  echo "skipped: slow-fsync shim not found at $shim_src"
fi
