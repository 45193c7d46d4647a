#!/usr/bin/env bash
# Installs the Debian packages Hubbub builds and tests with (Debian 12, as root
# or through sudo). Skips apt entirely when everything is already there.
#   scripts/install-deps.sh          build + run dependencies
#   scripts/install-deps.sh --test   also what the test suite starts (PostgreSQL, Redis, Python venv)
set -euo pipefail

packages=(liburing-dev libhiredis-dev libpq-dev libssl-dev libsqlite3-dev pkg-config)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(python3-venv python3-pip patch postgresql redis-server haproxy gdb)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "installing: ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
