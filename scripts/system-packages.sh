#!/usr/bin/env bash
# Debian packages the browser tests need: Chromium (driven by Playwright, never downloaded by it)
# and a CJK font so Chinese pages render. Installed only when missing; needs root (CI is root).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "system packages missing (${missing[*]}): run as root or install them" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
