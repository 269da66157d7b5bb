#!/usr/bin/env bash
# Builds the benchmark in Release and runs it: Runner inference throughput, AUROC + DeLong interval, bootstrap,
# ledger proofs at a million leaves, and the ledger sequencer against the event append rate.
# Usage: bash scripts/bench.sh [--quick] [--only inference,delong,bootstrap,proofs,sequencer]   (docs/performance.md)
# The sequencer figure needs PostgreSQL (provisioned here, database ai4h_bench). Run it on an otherwise idle
# machine: the figures are wall-clock times.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tools/lock-shim/build-feed.sh   # the Domain references Marten, whose restore needs the local feed
dotnet build bench/Ai4h.Audit.Bench/Ai4h.Audit.Bench.csproj --configuration Release --nologo -v quiet
# The sequencer figure appends events to a database of its own, migrated like production.
bash scripts/postgres.sh ai4h_bench > /dev/null
export AI4H_DB="Host=localhost;Port=${PGPORT:-5432};Database=ai4h_bench;Username=ai4h_app"
dotnet build src/Ai4h.Audit.Api/Ai4h.Audit.Api.csproj --configuration Release --nologo -v quiet
dotnet src/Ai4h.Audit.Api/bin/Release/net10.0/Ai4h.Audit.Api.dll migrate > /dev/null
dotnet bench/Ai4h.Audit.Bench/bin/Release/net10.0/Ai4h.Audit.Bench.dll "$@"
