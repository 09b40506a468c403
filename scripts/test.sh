#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this script): formatting, lints, then
# every test of the workspace — unit, rule, conformance, crash, and end-to-end tests that start
# the real binary. Needs the Rust toolchain; the export tests also use xmllint, pdftotext and
# bagit.py, and the web pages' test Chromium and chromedriver, installed below when missing
# (they print "skipped: <tool> not found" without them).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== tools for the export tests"
missing=()
command -v xmllint >/dev/null || missing+=(libxml2-utils)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
# The web pages' browser test (tests/web.rs): Debian's Chromium and its WebDriver, no download.
{ [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } \
  || missing+=(chromium chromium-driver fonts-dejavu-core)
if ((${#missing[@]})); then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null \
      || echo "notice: could not install ${missing[*]}; the tests that need them are skipped"
  else
    echo "notice: not root: ${missing[*]} not installed; the tests that need them are skipped"
  fi
fi
{ [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } || echo "skipped: chromium not found"
# The OpenAPI conformance test (tests/schemathesis.rs).
if ! command -v st >/dev/null; then
  { python3 -m pip install --quiet schemathesis || python3 -m pip install --quiet --break-system-packages schemathesis; } >/dev/null 2>&1 \
    || echo "notice: could not install schemathesis (pip); the OpenAPI conformance test is skipped"
fi
if ! command -v bagit.py >/dev/null; then
  { python3 -m pip install --quiet bagit || python3 -m pip install --quiet --break-system-packages bagit; } >/dev/null 2>&1 \
    || echo "notice: could not install bagit (pip); the bag validation is skipped"
fi

echo "== formatting"
cargo fmt --all -- --check

echo "== lints"
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "== tests"
cargo test --workspace --no-fail-fast
