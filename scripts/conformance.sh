#!/usr/bin/env bash
# Runs the Autobahn WebSocket conformance suite (sections 1-10) against
# `hubbub serve --echo --io BACKEND` and fails on any FAILED case.
#   scripts/conformance.sh uring|epoll [report-dir]
# Needs ../shared/conformance/autobahn (set AUTOBAHN_SRC to override) and a
# release build (swift build -c release --product hubbub).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
backend="${1:?usage: conformance.sh uring|epoll [report-dir]}"
reports="${2:-/tmp/hubbub-autobahn/$backend}"
src="${AUTOBAHN_SRC:-$(pwd)/../shared/conformance/autobahn}"
tool="${AUTOBAHN_DIR:-/tmp/hubbub-autobahn/tool}"
bin=".build/release/hubbub"

[[ -x "$bin" ]] || swift build -c release --product hubbub
if [[ ! -x "$tool/run-fuzzingclient.sh" ]]; then
  [[ -f "$src/setup.sh" ]] || { echo "conformance: Autobahn setup not found at $src" >&2; exit 1; }
  bash "$src/setup.sh" "$tool" >/tmp/hubbub-autobahn-setup.log 2>&1 || { cat /tmp/hubbub-autobahn-setup.log >&2; exit 1; }
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
"$bin" serve --echo --io "$backend" --listen "127.0.0.1:$port" --log-level warning >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  python3 - "$port" <<'PY' 2>/dev/null && break
import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.2).close()
PY
  sleep 0.1
done

rm -rf "$reports"
"$tool/run-fuzzingclient.sh" "ws://127.0.0.1:$port/echo" "$reports"

python3 - "$reports/index.json" "$backend" <<'PY'
import json, sys, collections
with open(sys.argv[1]) as f:
    index = json.load(f)
counts = collections.Counter()
failed = []
for agent, cases in index.items():
    for case, result in cases.items():
        behavior = result["behavior"]
        counts[behavior] += 1
        close = result.get("behaviorClose", "OK")
        if behavior == "FAILED" or close == "FAILED":
            failed.append(case)
summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
print(f"autobahn [{sys.argv[2]}]: {summary}")
if failed:
    print("FAILED cases: " + " ".join(sorted(failed)))
    sys.exit(1)
PY
kill -0 $pid || { echo "server died during the suite:"; cat "$log"; exit 1; }
