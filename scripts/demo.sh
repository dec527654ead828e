#!/usr/bin/env bash
# Fresh machine to a running demo: install, build the demo program on the embedded default
# (SQLite + local files in ./robotwork-data), and show national compliance.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
.venv/bin/robotwork demo
.venv/bin/robotwork compliance
