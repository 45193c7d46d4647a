#!/usr/bin/env bash
# Stops the local cluster deploy/local/up.sh started: HAProxy first (no new
# clients), then the hub nodes (SIGTERM: each closes its WebSockets, hands its
# users' leaves to the others and leaves the cluster), then Redis and PostgreSQL.
#   deploy/local/down.sh [--purge]     --purge also deletes the data and logs
# HUBBUB_LOCAL_DIR as for up.sh.
set -uo pipefail
dir="${HUBBUB_LOCAL_DIR:-/tmp/hubbub-local}"
[[ -f "$dir/pids" ]] || { echo "no local cluster in $dir"; exit 0; }

stop() {  # name pid signal
  local pid=$2
  kill -0 "$pid" 2>/dev/null || return 0
  kill "-$3" "$pid" 2>/dev/null
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "$1 ($pid) did not stop in 30 s: SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null
}
pid_of() { awk -v name="$1" '$1 == name { print $2 }' "$dir/pids"; }

for name in haproxy $(awk '$1 ~ /^node/ { print $1 }' "$dir/pids") redis; do
  pid=$(pid_of "$name")
  [[ -n "$pid" ]] && stop "$name" "$pid" TERM
done
# The postmaster itself (its pid file): a fast shutdown.
pgdir=$(cat "$dir/pgdir" 2>/dev/null || echo "$dir/pg")
if [[ -f "$pgdir/data/postmaster.pid" ]]; then
  stop postgres "$(head -n 1 "$pgdir/data/postmaster.pid")" INT
fi
: >"$dir/pids"
if [[ "${1:-}" == "--purge" ]]; then
  rm -rf "$pgdir" "$dir"
  echo "stopped; $dir deleted"
else
  echo "stopped; data kept in $dir (up.sh starts it again, down.sh --purge deletes it)"
fi
