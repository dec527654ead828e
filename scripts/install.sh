#!/usr/bin/env bash
# Install robotwork into ./.venv (created if missing). Usage: scripts/install.sh [extra]
# Idempotent: a second run only checks that everything is in place.
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-}"
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
spec="."
[ -n "$extra" ] && spec=".[$extra]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec"
