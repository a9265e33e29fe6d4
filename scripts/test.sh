#!/usr/bin/env bash
# Runs every test of the solution. Installs what the tests need on a fresh machine first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."

# The web end-to-end tests drive Debian's chromium (/usr/bin/chromium) with Playwright.
prerequisites=()
[ -x /usr/bin/chromium ] || prerequisites+=(chromium)
# The batch facts on Hangfire.PostgreSql start a throw-away PostgreSQL server (initdb/pg_ctl as the postgres user).
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || prerequisites+=(postgresql)
bash scripts/install-test-prerequisites.sh "${prerequisites[@]}"

dotnet test QwenVlStudio.slnx -c Release --nologo "$@"
