#!/usr/bin/env bash
# Runs the hub on its embedded default (no other servers needed):
#   scripts/serve.sh [hubbub serve options...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh
swift build -c release --product hubbub >&2
exec .build/release/hubbub serve "$@"
