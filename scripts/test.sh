#!/usr/bin/env bash
# Runs every test against a real PostgreSQL: provisions it, restores, builds, tests.
# Usage: bash scripts/test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/postgres.sh ai4h_test
bash tools/lock-shim/build-feed.sh
dotnet test Ai4h.Audit.sln --configuration Release --nologo "$@"
