#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this script): formatting, lints, then
# every test of the workspace — unit, rule, conformance, crash, and end-to-end tests that start
# the real binary. Needs only the Rust toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== formatting"
cargo fmt --all -- --check

echo "== lints"
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "== tests"
cargo test --workspace --no-fail-fast
