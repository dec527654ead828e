#!/usr/bin/env bash
# Fresh machine to a full test run: install with the test extras, then run every test against
# SQLite and the PostgreSQL server on 127.0.0.1:5432 (database test), and the browser tests in
# Debian's Chromium (installed by scripts/system-packages.sh), with the services of
# scripts/services.sh (SeaweedFS S3, PostgreSQL, Mosquitto) up. Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh test
scripts/system-packages.sh
scripts/services.sh up >&2  # SeaweedFS (S3), PostgreSQL and Mosquitto on loopback
exec .venv/bin/python -m pytest "$@"
