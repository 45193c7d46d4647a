#!/usr/bin/env bash
# The hub benchmark: the real client protocol (hubbub.v1 at /ws) through
# `hubbub-load --mode hub`. For each scenario: a fresh data directory seeded with
# the scenario's rooms and users (`hubbub-load --seed-file`, `hubbub admin seed`),
# then for each repeat a fresh `hubbub serve` on it (so the server's peak RSS is the
# run's own) and one hubbub-load run. Prints one Markdown table: medians over the
# repeats, except lost/dup/out-of-order and errors, which are totals (must be 0).
#   LoadTests/bench-hub.sh [duration-seconds] [repeats] [connections]
# e.g. LoadTests/bench-hub.sh 10 3 1000
# Scenarios (name:rooms:rate per room, 0 = as fast as acks allow):
#   a  1000 clients, 1 room, 20 comments/s        (fan-out to 1000)
#   b  1000 clients, 50 rooms, 20 comments/s each (fan-out to 20)
#   c  1000 clients, 50 rooms, closed loop        (max acknowledged throughput)
# Environment: BENCH_OUT (default /tmp/hubbub-bench-hub) keeps the JSON, text and
# server logs; SCENARIOS="a:1:20 b:50:20 c:50:0" overrides the list; LOAD_THREADS
# (default 1) client threads; PUBLISHERS (default 1) publishers per room;
# STORE=postgres for PostgreSQL. CLUSTER=1 (implies STORE=postgres): two nodes on
# one redis-server and one database; each run is measured twice, "same" (every
# client on node 1) and "cross" (publishers on node 1, everyone else on node 2, so
# every delivery but the publishers' own crosses nodes through Redis).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration="${1:-10}"
repeats="${2:-3}"
connections="${3:-1000}"
read -r -a scenarios <<<"${SCENARIOS:-a:1:20 b:50:20 c:50:0}"
threads="${LOAD_THREADS:-1}"
publishers="${PUBLISHERS:-1}"
out="${BENCH_OUT:-/tmp/hubbub-bench-hub}"
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.txt "$out"/*.log
swift build -c release --product hubbub >/dev/null
swift build -c release --product hubbub-load >/dev/null
bin=.build/release
secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"  # 64 hex characters
work="$(mktemp -d /tmp/hubbub-bench-hub.XXXXXX)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill $server_pid 2>/dev/null || true; wait $server_pid 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# STORE=postgres: a throw-away PostgreSQL cluster on loopback (as the postgres user
# when run as root), one database per scenario; otherwise the embedded SQLite store.
cluster="${CLUSTER:-0}"
store="${STORE:-sqlite}"
[[ "$cluster" == 1 ]] && store=postgres
redis_pid=""
pg_pid=""
as_pg() { if [[ $(id -u) -eq 0 ]]; then setpriv --reuid postgres --regid postgres --init-groups -- "$@"; else "$@"; fi; }
if [[ "$store" == postgres ]]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  pgroot="$work/pg"
  mkdir -p "$pgroot" && chmod 755 "$work" "$pgroot"
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$pgroot"
  as_pg "$pgbin/initdb" -D "$pgroot/data" -A trust -U hubbub -E UTF8 >/dev/null
  pgport=$(free_port)
  as_pg "$pgbin/postgres" -D "$pgroot/data" -p "$pgport" -k "$pgroot" -c listen_addresses=127.0.0.1 \
    -c fsync=on -c max_connections=100 >"$out/postgres.log" 2>&1 &
  pg_pid=$!
  for _ in $(seq 100); do "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pgport" && break; sleep 0.1; done
  # The postmaster itself (a background subshell ignores SIGINT, so not $pg_pid).
  stop_pg() { kill -INT "$(head -n 1 "$pgroot/data/postmaster.pid" 2>/dev/null)" 2>/dev/null; wait "$pg_pid" 2>/dev/null; }
  trap 'stop_pg; cleanup' EXIT
fi
if [[ "$cluster" == 1 ]]; then
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
    --logfile "$out/redis.log" &
  redis_pid=$!
  trap 'kill $redis_pid 2>/dev/null; stop_pg; cleanup' EXIT
fi
variants=(single)
[[ "$cluster" == 1 ]] && variants=(same cross)


# Waits until 127.0.0.1:$1 accepts connections (at most 10 s).
wait_listening() {
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

status=0
for scenario in "${scenarios[@]}"; do
  IFS=: read -r name rooms rate <<<"$scenario"
  data="$work/$name"
  mkdir -p "$data"
  "$bin/hubbub-load" --seed-file "$data/seed.json" --connections "$connections" --rooms "$rooms" >/dev/null
  target=(--data-dir "$data/db")
  if [[ "$store" == postgres ]]; then
    "$pgbin/psql" -q -h 127.0.0.1 -p "$pgport" -U hubbub -d postgres -c "CREATE DATABASE bench_$name" >/dev/null
    target=(--data-dir "$data/db" --database-url "postgres://hubbub@127.0.0.1:$pgport/bench_$name")
    "$bin/hubbub" migrate --database-url "postgres://hubbub@127.0.0.1:$pgport/bench_$name" >/dev/null
  fi
  "$bin/hubbub" admin seed "$data/seed.json" "${target[@]}" >/dev/null
  for rep in $(seq "$repeats"); do
    # One node (two in a cluster), fresh for each repeat.
    ports=()
    pids=()
    nodes=1
    [[ "$cluster" == 1 ]] && nodes=2
    for node in $(seq "$nodes"); do
      port=$(free_port)
      log="$out/$name-$rep-server$node.log"
      extra=()
      [[ "$cluster" == 1 ]] && extra=(--redis-url "redis://127.0.0.1:$redis_port/0" --node-id "bench-$node")
      "$bin/hubbub" serve --listen "127.0.0.1:$port" "${target[@]}" "${extra[@]}" --jwt-secret "$secret" \
        --commands-per-second 1000 --commands-burst 1000 --log-level warning 2>"$log" &
      pids+=($!)
      ports+=("$port")
      server_pid="${pids[*]}"
      if ! wait_listening "$port"; then
        echo "scenario $name run $rep: the server did not start (see $log)" >&2
        exit 1
      fi
    done
    for variant in "${variants[@]}"; do
      tag="$name"
      [[ "$variant" != single ]] && tag="$name-$variant"
      url="ws://127.0.0.1:${ports[0]}/ws"
      publisher=()
      if [[ "$variant" == cross ]]; then
        url="ws://127.0.0.1:${ports[1]}/ws"
        publisher=(--publisher-url "ws://127.0.0.1:${ports[0]}/ws")
      fi
      if ! "$bin/hubbub-load" --mode hub --url "$url" "${publisher[@]}" --connections "$connections" \
        --rooms "$rooms" --publishers-per-room "$publishers" --rate "$rate" --duration "$duration" \
        --jwt-secret "$secret" --threads "$threads" --server-pid "${pids[0]}" --quiet \
        --json "$out/$tag-$rep.json" >"$out/$tag-$rep.txt"; then
        echo "scenario $tag run $rep: FAILED (errors or lost/duplicated/out-of-order events); see $out/$tag-$rep.txt" >&2
        status=1
      fi
    done
    for pid in "${pids[@]}"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "scenario $name run $rep: a server exited during the run; see $out/$name-$rep-server*.log" >&2
        status=1
      fi
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    done
    server_pid=""
  done
done

names=()
for scenario in "${scenarios[@]}"; do
  for variant in "${variants[@]}"; do
    if [[ "$variant" == single ]]; then names+=("$scenario"); else names+=("${scenario/:/-$variant:}"); fi
  done
done
python3 - "$out" "$repeats" "$connections" "${names[@]}" <<'PY'
import json, os, statistics, sys
out, repeats, connections, scenarios = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")
store = "postgres, 2 nodes on redis" if os.environ.get("CLUSTER") == "1" else os.environ.get("STORE", "sqlite")
print(f"store {store}: {repeats} run(s) per scenario, {connections} connections; medians (lost/dup/ooo and errors: totals)")
print()
print("| scenario | rooms | rate/room | connect+join ms | acked/s | delivered/s | ack p50 ms | ack p99 ms "
      "| fan-out p50 ms | p99 ms | p99.9 ms | max ms | lost/dup/ooo | errors | server CPU s | server peak RSS MiB | client CPU s |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for scenario in scenarios:
    name, rooms, rate = scenario.split(":")
    runs = []
    for rep in range(1, repeats + 1):
        path = os.path.join(out, f"{name}-{rep}.json")
        if os.path.exists(path):
            runs.append(json.load(open(path)))
    if not runs:
        print(f"| {name} | {rooms} | {rate} | no result |")
        continue
    hub = [r["hub"] for r in runs]
    srv = [r.get("server") or {} for r in runs]
    col = lambda key, sub=None: med([(h[key][sub] if sub else h[key]) for h in hub])
    violations = "/".join(str(sum(h[k] for h in hub)) for k in ("lost", "duplicates", "out_of_order"))
    errors = sum(r["errors"] for r in runs)
    rate_text = "max" if float(rate) == 0 else rate
    print(f"| {name} | {rooms} | {rate_text} | {col('connect_join_ms'):.0f} | {col('acked_per_second'):.0f} | "
          f"{col('delivered_per_second'):.0f} | {col('ack_latency_ms', 'p50'):.2f} | {col('ack_latency_ms', 'p99'):.2f} | "
          f"{col('delivery_latency_ms', 'p50'):.2f} | {col('delivery_latency_ms', 'p99'):.2f} | "
          f"{col('delivery_latency_ms', 'p999'):.2f} | {col('delivery_latency_ms', 'max'):.2f} | {violations} | {errors} | "
          f"{med([s.get('cpu_seconds') for s in srv]):.2f} | {med([s.get('peak_rss_kb') for s in srv]) / 1024:.1f} | "
          f"{med([r['client_cpu_seconds'] for r in runs]):.2f} |")
PY
exit "$status"
