#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this script): formatting, lints, then every
# test of the workspace — unit, rule, conformance, crash, and end-to-end tests that start the real
# binary. Needs the Rust toolchain; the export tests also use xmllint, pdftotext, bagit.py and the
# E-ARK validator (eark-validator), the web pages' test Chromium and chromedriver, and the
# PostgreSQL tests Debian's PostgreSQL server binaries, installed below when missing (they print
# "skipped: <tool> not found" without them). The PostgreSQL tests start their own throw-away
# clusters (initdb into a temporary directory, a free port, pg_ctl); as root they run them as the
# unprivileged `postgres` account the package creates. The package's own cluster is not used or
# started.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== tools for the export tests"
missing=()
command -v xmllint >/dev/null || missing+=(libxml2-utils)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
# The web pages' browser test (tests/web.rs): Debian's Chromium and its WebDriver, no download.
{ [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } \
  || missing+=(chromium chromium-driver fonts-dejavu-core)
# The PostgreSQL backend's tests (crates/store/tests/postgres.rs, pg_ordering.rs, tests/pg_*.rs).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if ((${#missing[@]})); then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null \
      || echo "notice: could not install ${missing[*]}; the tests that need them are skipped"
  else
    echo "notice: not root: ${missing[*]} not installed; the tests that need them are skipped"
  fi
fi
{ [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } || echo "skipped: chromium not found"
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || echo "skipped: postgresql not found"
# The OpenAPI conformance test (tests/schemathesis.rs).
if ! command -v st >/dev/null; then
  { python3 -m pip install --quiet schemathesis || python3 -m pip install --quiet --break-system-packages schemathesis; } >/dev/null 2>&1 \
    || echo "notice: could not install schemathesis (pip); the OpenAPI conformance test is skipped"
fi
if ! command -v bagit.py >/dev/null; then
  { python3 -m pip install --quiet bagit || python3 -m pip install --quiet --break-system-packages bagit; } >/dev/null 2>&1 \
    || echo "notice: could not install bagit (pip); the bag validation is skipped"
fi
# The E-ARK validator the package tests run through ../shared/tools/eark-validate/eark_validate.py
# (or $EARK_VALIDATE); they print "skipped: eark-validator not found" without it.
if ! python3 -c "import eark_validator" 2>/dev/null; then
  { python3 -m pip install --quiet eark-validator || python3 -m pip install --quiet --break-system-packages eark-validator; } >/dev/null 2>&1 \
    || echo "notice: could not install eark-validator (pip); the E-ARK package validation is skipped"
fi

echo "== formatting"
cargo fmt --all -- --check

echo "== lints"
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "== tests"
cargo test --workspace --no-fail-fast
