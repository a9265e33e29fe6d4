#!/usr/bin/env bash
# Runs every test of the solution. Installs what the tests need on a fresh machine first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."

# The web end-to-end tests drive Debian's chromium (/usr/bin/chromium) with Playwright.
prerequisites=()
[ -x /usr/bin/chromium ] || prerequisites+=(chromium)
bash scripts/install-test-prerequisites.sh "${prerequisites[@]}"

dotnet test QwenVlStudio.slnx -c Release --nologo "$@"
