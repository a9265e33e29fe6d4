#!/usr/bin/env bash
# Installs the system packages the tests use when they are missing (needs root for apt-get).
set -euo pipefail
need=()
# Filled in as suites need them: chromium (Playwright end-to-end), postgresql (Hangfire scale-out).
for pkg in "$@"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
