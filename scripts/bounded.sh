#!/usr/bin/env bash
# Runs a test step with a time limit. Past the limit it shows what the step was
# doing (Swift tests that started and did not finish, every thread's stack of
# every test process), kills the step's whole process group and fails, so a
# hang costs minutes and leaves a diagnosis instead of eating CI's budget.
#   scripts/bounded.sh SECONDS COMMAND [ARG...]
set -uo pipefail
limit="${1:?usage: bounded.sh SECONDS COMMAND [ARG...]}"
shift

log=$(mktemp /tmp/hubbub-step.XXXXXX)
# Line-buffered output (stdbuf reaches children): a hang must not swallow the
# last lines the step printed before it.
setsid stdbuf -oL -eL "$@" >"$log" 2>&1 </dev/null &
pid=$!
tail -n +1 -f --pid="$pid" "$log" &
tailer=$!

# The process and all its descendants, parents first.
descendants() {
  echo "$1"
  for child in $(ps -o pid= --ppid "$1"); do descendants "$child"; done
}

deadline=$((SECONDS + limit))
while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 1; done

if ! kill -0 "$pid" 2>/dev/null; then
  wait "$pid"
  status=$?
  wait "$tailer" 2>/dev/null
  rm -f "$log"
  exit "$status"
fi

kill "$tailer" 2>/dev/null
{
  echo
  echo "== TIME LIMIT: '$*' still running after ${limit} s"
  echo "== Swift tests started and not finished:"
  python3 - "$log" <<'PY'
import re, sys
started, finished = [], set()
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"^\S+ Test (?!case |run )(.+?)(?: with \d+ test cases?)? (started\.|passed|failed|skipped)", line)
    if not m:
        continue
    if m.group(2) == "started.":
        started.append(m.group(1))
    else:
        finished.add(m.group(1))
for name in started:
    if name not in finished:
        print("   ", name)
PY
  # Every process the step started (SwiftPM puts the test binary in a group of its
  # own, so the tree, not the group): its command line, and the stacks of the test
  # binaries and hubbub processes.
  tree=$(descendants "$pid")
  for p in $tree; do
    cmd=$(tr '\0' ' ' </proc/"$p"/cmdline 2>/dev/null) || continue
    echo "== process $p: ${cmd:0:200}"
    case "$cmd" in
      *PackageTests*|*hubbub*)
        if command -v gdb >/dev/null; then
          timeout 60 gdb -p "$p" -batch -ex "thread apply all bt 25" 2>/dev/null | grep -E '^(Thread|#)' | head -400
        fi ;;
    esac
  done
} >&2
# The test processes first: the watchdogs the test harnesses start with each
# PostgreSQL or Redis server then stop their server and remove its files. Then
# whatever is left.
for p in $tree; do
  case "$(tr '\0' ' ' </proc/"$p"/cmdline 2>/dev/null)" in
    *PackageTests*|*pytest*|*swift-test*) kill -KILL "$p" 2>/dev/null ;;
  esac
done
kill -KILL "$pid" 2>/dev/null
sleep 5
for p in $tree; do kill -KILL "$p" 2>/dev/null; done
wait "$pid" 2>/dev/null
rm -f "$log"
exit 124
