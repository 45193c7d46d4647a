#!/usr/bin/env bash
# Runs every test: unit and integration tests (swift test), the end-to-end
# tests against the real binary with real WebSocket clients (pytest), and the
# Autobahn conformance suite on both I/O backends.
#   scripts/test.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

scripts/install-deps.sh --test
# Every step that runs tests has a time limit (scripts/bounded.sh): a hang fails
# within minutes with the stacks of what hung, instead of eating CI's budget.
bounded() { "$root/scripts/bounded.sh" "$@"; }

echo "== swift test"
swift build --build-tests
bounded 900 swift test --skip-build

echo "== release build"
swift build -c release --product hubbub
swift build -c release --product hubbub-load

echo "== end-to-end tests (pytest, real clients against the release binary)"
venv="$root/.venv-tests"
[[ -x "$venv/bin/pip" ]] || python3 -m venv "$venv"
# Every run: an older venv gets what was added since (a no-op when all is there).
"$venv/bin/pip" install -q --disable-pip-version-check "pytest==9.0.3" "pytest-timeout==2.4.0" "websockets==15.0.1" "jsonschema==4.26.0" "aiosmtpd==1.4.6" "pyyaml==6.0.2"
HUBBUB_BIN="$root/.build/release/hubbub" HUBBUB_LOAD_BIN="$root/.build/release/hubbub-load" \
  bounded 1500 "$venv/bin/pytest" -q --timeout 300 Tests/integration

echo "== the hub's end-to-end tests again, on PostgreSQL (a throw-away cluster the tests start)"
HUBBUB_TEST_STORE=postgres HUBBUB_BIN="$root/.build/release/hubbub" \
  bounded 900 "$venv/bin/pytest" -q --timeout 300 Tests/integration/test_hub_*.py Tests/integration/test_postgres_failure.py

echo "== Autobahn conformance (sections 1-10, both backends)"
bounded 600 scripts/conformance.sh uring
bounded 600 scripts/conformance.sh epoll
