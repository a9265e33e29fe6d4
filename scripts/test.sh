#!/usr/bin/env bash
# Runs every test of the solution. Installs what the tests need on a fresh machine first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-prerequisites.sh

dotnet test QwenVlStudio.slnx -c Release --nologo "$@"
