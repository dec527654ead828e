#!/usr/bin/env bash
# Fresh machine to a full test run: install with the test extras, then run every test against
# SQLite and the PostgreSQL server on 127.0.0.1:5432 (database test). Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh test
exec .venv/bin/python -m pytest "$@"
