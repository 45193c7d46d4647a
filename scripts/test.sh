#!/usr/bin/env bash
# Runs every test: unit and integration tests (swift test), the end-to-end
# tests against the real binary with real WebSocket clients (pytest), and the
# Autobahn conformance suite on both I/O backends.
#   scripts/test.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

scripts/install-deps.sh --test

echo "== swift test"
swift build --build-tests
swift test --skip-build

echo "== release build"
swift build -c release --product hubbub
swift build -c release --product hubbub-load

echo "== end-to-end tests (pytest, real clients against the release binary)"
venv="$root/.venv-tests"
[[ -x "$venv/bin/pip" ]] || python3 -m venv "$venv"
# Every run: an older venv gets what was added since (a no-op when all is there).
"$venv/bin/pip" install -q --disable-pip-version-check "pytest==9.0.3" "websockets==15.0.1" "jsonschema==4.26.0" "aiosmtpd==1.4.6"
HUBBUB_BIN="$root/.build/release/hubbub" HUBBUB_LOAD_BIN="$root/.build/release/hubbub-load" \
  "$venv/bin/pytest" -q Tests/integration

echo "== the hub's end-to-end tests again, on PostgreSQL (a throw-away cluster the tests start)"
HUBBUB_TEST_STORE=postgres HUBBUB_BIN="$root/.build/release/hubbub" \
  "$venv/bin/pytest" -q Tests/integration/test_hub_*.py Tests/integration/test_postgres_failure.py

echo "== Autobahn conformance (sections 1-10, both backends)"
scripts/conformance.sh uring
scripts/conformance.sh epoll
