#!/usr/bin/env bash
# Runs Vault on a sample archive: SQLite, simulated scanners, the bridge and the alarm board.
# Extra arguments go to `vault demo` (for example --port 8081 or --host 0.0.0.0).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
exec .venv/bin/vault demo "$@"
