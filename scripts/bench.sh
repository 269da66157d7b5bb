#!/usr/bin/env bash
# Builds the benchmark in Release and runs it: Runner inference throughput, AUROC + DeLong interval, bootstrap.
# Usage: bash scripts/bench.sh [--quick] [--only inference,delong,bootstrap]   (docs/performance.md)
# Needs no database. Run it on an otherwise idle machine: the figures are wall-clock times.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tools/lock-shim/build-feed.sh   # the Domain references Marten, whose restore needs the local feed
dotnet build bench/Ai4h.Audit.Bench/Ai4h.Audit.Bench.csproj --configuration Release --nologo -v quiet
dotnet bench/Ai4h.Audit.Bench/bin/Release/net10.0/Ai4h.Audit.Bench.dll "$@"
