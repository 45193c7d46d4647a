#!/usr/bin/env bash
# A local Hubbub cluster on loopback, without containers: PostgreSQL, Redis, three
# hub nodes sharing them, and HAProxy in front (health-checking each node's /readyz).
#   deploy/local/up.sh            start (builds the release binary if needed)
#   deploy/local/down.sh          stop everything (add --purge to delete the data)
# Settings (environment): HUBBUB_LOCAL_DIR (state: data, logs, pids; default
# /tmp/hubbub-local), HUBBUB_LOCAL_PORT (the load balancer, default 8080),
# HUBBUB_LOCAL_NODE_PORT (first node's port, default 8081; the others follow),
# HUBBUB_LOCAL_PG_PORT (55432), HUBBUB_LOCAL_REDIS_PORT (56379), HUBBUB_BIN (the
# hubbub binary; default: .build/release/hubbub, built if missing), HUBBUB_LOCAL_SEED
# (a file for `hubbub admin seed`, applied once; default: `--demo`, project p_demo).
# Needs Debian's postgresql, redis-server and haproxy (scripts/install-deps.sh --test).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
dir="${HUBBUB_LOCAL_DIR:-/tmp/hubbub-local}"
lb_port="${HUBBUB_LOCAL_PORT:-8080}"
node_port="${HUBBUB_LOCAL_NODE_PORT:-8081}"
pg_port="${HUBBUB_LOCAL_PG_PORT:-55432}"
redis_port="${HUBBUB_LOCAL_REDIS_PORT:-56379}"
nodes=3
bin="${HUBBUB_BIN:-$root/.build/release/hubbub}"

if [[ -f "$dir/pids" ]] && grep -q . "$dir/pids"; then
  echo "a local cluster already runs from $dir (deploy/local/down.sh stops it)" >&2
  exit 1
fi
for tool in haproxy redis-server; do
  command -v "$tool" >/dev/null || { echo "$tool not found: scripts/install-deps.sh --test installs it" >&2; exit 1; }
done
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$pgbin/postgres" ]] || { echo "PostgreSQL not found under /usr/lib/postgresql" >&2; exit 1; }
[[ -x "$bin" ]] || swift build -c release --product hubbub >/dev/null

mkdir -p "$dir/logs"
chmod 755 "$dir"
: >"$dir/pids"
# Whatever fails from here leaves nothing running.
trap 'status=$?; if [[ $status -ne 0 ]]; then echo "start failed; logs in $dir/logs" >&2; "$root/deploy/local/down.sh" >/dev/null 2>&1 || true; fi' EXIT

# Waits until 127.0.0.1:$1 accepts connections (at most 20 s).
wait_port() {
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1 (see $dir/logs)" >&2
  return 1
}

# PostgreSQL: as the postgres user when run as root (initdb refuses root).
as_pg() { if [[ $(id -u) -eq 0 ]]; then setpriv --reuid postgres --regid postgres --init-groups -- "$@"; else "$@"; fi; }
# Its files live in $dir/pg unless the postgres user cannot reach $dir (a private
# parent directory, as root): then in a directory of its own under /tmp.
if [[ -f "$dir/pgdir" ]]; then
  pgdir=$(cat "$dir/pgdir")
else
  pgdir="$dir/pg"
  if [[ $(id -u) -eq 0 ]] && ! as_pg test -x "$dir"; then pgdir=$(mktemp -d /tmp/hubbub-local-pg.XXXXXX); fi
  echo "$pgdir" >"$dir/pgdir"
fi
if [[ ! -d "$pgdir/data" ]]; then
  mkdir -p "$pgdir"
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$pgdir"
  as_pg "$pgbin/initdb" -D "$pgdir/data" -A trust -U hubbub -E UTF8 >"$dir/logs/initdb.log"
fi
as_pg "$pgbin/postgres" -D "$pgdir/data" -p "$pg_port" -k "$pgdir" -c listen_addresses=127.0.0.1 \
  </dev/null >>"$dir/logs/postgres.log" 2>&1 &
echo "postgres $!" >>"$dir/pids"
wait_port "$pg_port"
for _ in $(seq 100); do "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.1; done
database="postgres://hubbub@127.0.0.1:$pg_port/hubbub"
if ! "$pgbin/psql" -qtA -h 127.0.0.1 -p "$pg_port" -U hubbub -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'hubbub'" | grep -q 1; then
  "$pgbin/psql" -q -h 127.0.0.1 -p "$pg_port" -U hubbub -d postgres -c "CREATE DATABASE hubbub"
fi
"$bin" migrate --database-url "$database" >"$dir/logs/migrate.log" 2>&1

# Redis: nothing in it must survive a restart.
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
  --logfile "$dir/logs/redis.log" </dev/null >/dev/null 2>&1 &
echo "redis $!" >>"$dir/pids"
wait_port "$redis_port"

# One token secret for every node (clients may land on any of them).
if [[ ! -f "$dir/jwt-secret" ]]; then
  (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/jwt-secret")
fi
secret=$(cat "$dir/jwt-secret")
if [[ ! -f "$dir/seeded" ]]; then
  seed=(--demo)
  [[ -n "${HUBBUB_LOCAL_SEED:-}" ]] && seed=("$HUBBUB_LOCAL_SEED")
  "$bin" admin seed "${seed[@]}" --database-url "$database" >"$dir/logs/seed.log" 2>&1
  touch "$dir/seeded"
fi

servers=""
for n in $(seq "$nodes"); do
  port=$((node_port + n - 1))
  HUBBUB_JWT_SECRET="$secret" "$bin" serve --listen "127.0.0.1:$port" --data-dir "$dir/node$n" \
    --database-url "$database" --redis-url "redis://127.0.0.1:$redis_port/0" --node-id "local-$n" \
    --log-format json </dev/null >>"$dir/logs/node$n.log" 2>&1 &
  echo "node$n $!" >>"$dir/pids"
  servers+="    server node$n 127.0.0.1:$port check inter 1s fall 2 rise 1"$'\n'
done
for n in $(seq "$nodes"); do wait_port $((node_port + n - 1)); done

# HAProxy: round robin, each node health-checked on /readyz (a node whose store or
# Redis link is down gets no new clients); long-lived WebSockets get a 1 h tunnel timeout.
# Each proxied connection costs HAProxy two descriptors.
maxconn=$(( $(ulimit -n) / 2 - 64 ))
cat >"$dir/haproxy.cfg" <<EOF
global
    maxconn $maxconn
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h
frontend hubbub
    bind 127.0.0.1:$lb_port
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
$servers
EOF
haproxy -f "$dir/haproxy.cfg" -db </dev/null >>"$dir/logs/haproxy.log" 2>&1 &
echo "haproxy $!" >>"$dir/pids"
wait_port "$lb_port"

cat <<EOF
Hubbub cluster up: ws://127.0.0.1:$lb_port/ws (HAProxy) over $nodes nodes on ports $node_port-$((node_port + nodes - 1)),
PostgreSQL on $pg_port, Redis on $redis_port; state and logs in $dir.
A token:  $bin token --secret \$(cat $dir/jwt-secret) --user u_alice --name Alice
Stop:     deploy/local/down.sh   (add --purge to delete the data)
EOF
