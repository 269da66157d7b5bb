#!/usr/bin/env bash
# Runs every test against a real PostgreSQL: provisions it, restores, builds, tests.
# Usage: bash scripts/test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/postgres.sh ai4h_test
# The dossier tests read exported PDFs back with Debian's qpdf and pdftotext, as a regulator's tools would.
if ! command -v qpdf > /dev/null || ! command -v pdftotext > /dev/null; then
  if [[ $EUID -eq 0 ]]; then apt_get=(env DEBIAN_FRONTEND=noninteractive apt-get); else apt_get=(sudo env DEBIAN_FRONTEND=noninteractive apt-get); fi
  "${apt_get[@]}" update -qq && "${apt_get[@]}" install -y -qq qpdf poppler-utils > /dev/null
fi
# The web application's tests drive Debian's chromium with Playwright (a browser download does not work here).
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ $EUID -eq 0 ]]; then apt_get=(env DEBIAN_FRONTEND=noninteractive apt-get); else apt_get=(sudo env DEBIAN_FRONTEND=noninteractive apt-get); fi
  "${apt_get[@]}" update -qq && "${apt_get[@]}" install -y -qq chromium > /dev/null
fi
bash tools/lock-shim/build-feed.sh
# The whole solution is built first: `dotnet test` alone builds only the test project and what it references, and the
# tests also run programs it does not reference (the verifier), while the benchmark must at least compile.
dotnet build Ai4h.Audit.sln --configuration Release --nologo -v quiet
dotnet test Ai4h.Audit.sln --configuration Release --nologo --no-build "$@"
