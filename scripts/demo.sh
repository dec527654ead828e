#!/usr/bin/env bash
# Fresh machine to a running demo: install, build the demo program on the embedded default
# (SQLite + local files in ./robotwork-data), show national compliance, and serve the dashboard
# on http://127.0.0.1:8000/ (the demo prints the accounts to log in with).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
scripts/system-packages.sh
.venv/bin/robotwork demo
.venv/bin/robotwork compliance
exec .venv/bin/robotwork serve
