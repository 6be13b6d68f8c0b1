#!/usr/bin/env bash
# Runs every check: lint and format, then the unit, integration and end-to-end tests.
# Extra arguments go to pytest (for example tests/unit or -k labels).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
