#!/usr/bin/env bash
# Runs the tests of the solution. Installs what the tests need on a fresh machine first (idempotent).
#   scripts/test.sh           every test (what CI runs, through .ci/run)
#   scripts/test.sh --fast    the inner loop: leaves out the tiers that start a browser, PostgreSQL or another
#                             process, and the slow ones (xunit trait Category = Browser, Postgres, ChildProcess,
#                             Slow; tests/Shared/TestCategories.cs)
# Any other arguments go to `dotnet test` (e.g. --filter, --blame-hang-timeout 10m).
set -euo pipefail
cd "$(dirname "$0")/.."

fast=false
args=()
for arg in "$@"; do
  if [ "$arg" = "--fast" ]; then fast=true; else args+=("$arg"); fi
done

if $fast; then
  args+=(--filter "Category!=Browser&Category!=Postgres&Category!=ChildProcess&Category!=Slow")
else
  prerequisites=()
  # The web end-to-end tests drive Debian's chromium (/usr/bin/chromium) with Playwright.
  [ -x /usr/bin/chromium ] || prerequisites+=(chromium)
  # The batch facts on Hangfire.PostgreSql start a throw-away PostgreSQL server (initdb/pg_ctl as the postgres user).
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || prerequisites+=(postgresql)
  bash scripts/install-test-prerequisites.sh "${prerequisites[@]}"
fi

dotnet test QwenVlStudio.slnx -c Release --nologo "${args[@]}"
