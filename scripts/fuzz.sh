#!/usr/bin/env bash
# Fuzzes the spreadsheet importer for a bounded time (not part of CI): FUZZ_SECONDS (120) of
# libFuzzer through cargo-fuzz, seeded with the sample inventories of tests/fixtures. Each
# finding is copied into crates/documents/tests/fuzz_regressions/, where the test suite replays
# it for ever after (crates/documents/tests/fuzz_regressions.rs); commit it with the fix.
#
# cargo-fuzz needs nightly flags; on the stable toolchain they are enabled with
# RUSTC_BOOTSTRAP=1 (for this build only), and AddressSanitizer is off (-s none): the code under
# test forbids unsafe, so what the fuzzer looks for is panics, overflows and runaway memory.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-120}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
corpus=fuzz/corpus/import
mkdir -p "$corpus" crates/documents/tests/fuzz_regressions
cp tests/fixtures/pac-nam/*.csv tests/fixtures/pac-nam/*.xlsx "$corpus/" 2>/dev/null || true
export RUSTC_BOOTSTRAP=1
log=$(mktemp)
set +e
cargo fuzz run --fuzz-dir fuzz -s none -O import "$corpus" -- \
  -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=262144 2>&1 | tee "$log" | grep -E "^#[0-9]+ +(pulse|DONE)|ERROR|panicked|SUMMARY"
status=${PIPESTATUS[0]}
set -e
runs=$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
found=0
for crash in fuzz/artifacts/import/*; do
  [ -e "$crash" ] || continue
  cp "$crash" crates/documents/tests/fuzz_regressions/
  found=$((found + 1))
done
echo "fuzz: ${runs:-0} inputs tried in ${seconds} s, ${found} findings (kept in crates/documents/tests/fuzz_regressions/), exit ${status}"
exit "$status"
