#!/usr/bin/env bash
# Debian packages the project needs beyond Python: Chromium (browser tests, driven by Playwright,
# never downloaded by it), a CJK font (Chinese pages and PDF reports), Pango (WeasyPrint's text
# layout) and poppler-utils (pdftotext / pdftoppm in the report tests). Installed only when
# missing; needs root (CI runs as root).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
[ -e /usr/lib/x86_64-linux-gnu/libpango-1.0.so.0 ] || ldconfig -p | grep -q libpango-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "system packages missing (${missing[*]}): run as root or install them" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
