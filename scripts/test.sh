#!/usr/bin/env bash
# Runs every check: lint and format, then the tests twice: on SQLite (every test), then on a
# PostgreSQL server the tests start themselves (every test that opens a database: the
# integration and end-to-end tests not marked no_database). Extra arguments go to both pytest runs (for example
# tests/integration/test_audit.py or -k labels); VAULT_TEST_DATABASE=sqlite or =postgresql runs
# one pass only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
if [ "${VAULT_TEST_DATABASE:-sqlite}" = sqlite ]; then
    echo "test.sh: the suite on SQLite"
    VAULT_TEST_DATABASE=sqlite .venv/bin/python -m pytest "$@"
fi
if [ "${VAULT_TEST_DATABASE:-postgresql}" = postgresql ]; then
    echo "test.sh: the suite on PostgreSQL"
    [ $# -gt 0 ] || set -- tests/integration tests/e2e
    VAULT_TEST_DATABASE=postgresql .venv/bin/python -m pytest -m "not no_database" "$@"
fi
