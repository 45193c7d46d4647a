#!/usr/bin/env bash
# The data-plane benchmark: for each I/O backend and each connection count,
# a fresh `hubbub serve --echo`, then hubbub-load in idle mode (memory per
# connection) and in closed-loop echo mode (messages/s, round-trip latency),
# all in one run so the figures are comparable. Prints a Markdown table.
#   LoadTests/bench-dataplane.sh [duration-seconds] [counts...]
# e.g. LoadTests/bench-dataplane.sh 10 1000 10000
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration="${1:-10}"; shift || true
counts=("${@:-1000 10000}")
[[ $# -eq 0 ]] && counts=(1000 10000)
out="${BENCH_OUT:-/tmp/hubbub-bench}"
mkdir -p "$out"
swift build -c release --product hubbub >/dev/null
swift build -c release --product hubbub-load >/dev/null
bin=.build/release

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

for io in uring epoll; do
  for n in "${counts[@]}"; do
    for mode in idle echo; do
      port=$(free_port)
      "$bin/hubbub" serve --echo --io "$io" --listen "127.0.0.1:$port" --log-level warning &
      pid=$!
      sleep 0.5
      "$bin/hubbub-load" --url "ws://127.0.0.1:$port/echo" --connections "$n" --duration "$duration" \
        --mode "$mode" --server-pid "$pid" --quiet --json "$out/$io-$n-$mode.json" >/dev/null || echo "run $io $n $mode: errors (see $out/$io-$n-$mode.json)" >&2
      kill "$pid"; wait "$pid" 2>/dev/null || true
    done
  done
done

python3 - "$out" "${counts[@]}" <<'PY'
import json, sys, os
out, counts = sys.argv[1], sys.argv[2:]
print("| backend | connections | connected | connect s | idle bytes/conn | echo msgs/s | p50 ms | p99 ms | p99.9 ms | server CPU s | client CPU s | errors |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for io in ("uring", "epoll"):
    for n in counts:
        idle = json.load(open(os.path.join(out, f"{io}-{n}-idle.json")))
        echo = json.load(open(os.path.join(out, f"{io}-{n}-echo.json")))
        lat = echo["latency_ms"]
        srv = echo.get("server") or {}
        print(f"| {io} | {n} | {echo['connected']} | {echo['connect_seconds']:.2f} | "
              f"{(idle.get('server') or {}).get('idle_bytes_per_connection', 0):.0f} | "
              f"{echo['messages_per_second']:.0f} | {lat['p50']:.2f} | {lat['p99']:.2f} | {lat['p999']:.2f} | "
              f"{srv.get('cpu_seconds', 0):.2f} | {echo.get('client_cpu_seconds', 0):.2f} | {idle['errors'] + echo['errors']} |")
PY
