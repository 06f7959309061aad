#!/usr/bin/env bash
# Installs Debian's chromium for the report test (python/tests/test_report.py), idempotently.
# Needs root (or sudo); bin/setup --test calls it. Skips quietly when chromium is already on PATH.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "[install-chromium] need root or sudo to apt-get install chromium" >&2; exit 1; }
  SUDO=sudo
fi
echo "[install-chromium] apt-get install chromium" >&2
start=$(date +%s)
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "[install-chromium] done in $(( $(date +%s) - start )) s: $(chromium --version 2>/dev/null)" >&2
