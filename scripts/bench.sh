#!/usr/bin/env bash
# Builds the benchmark in Release and runs it: Runner inference throughput, AUROC + DeLong interval, bootstrap,
# ledger proofs at a million leaves, the dossier PDF, the ledger sequencer against the event append rate, event appends
# through the HTTP API against raw INSERTs, bulk append against COPY, and dossier rebuilds against raw reads and as the
# store grows to a million events.
# Usage: bash scripts/bench.sh [--quick] [--only inference,delong,bootstrap,proofs,pdf,sequencer,write,bulk,dossier,dossier-scale]
#        (docs/performance.md)
# The last five figures need PostgreSQL (provisioned here: database ai4h_bench, or AI4H_BENCH_DATABASE). Run it on an
# otherwise idle machine: the figures are wall-clock times.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tools/lock-shim/build-feed.sh   # the Domain references Marten, whose restore needs the local feed
dotnet build bench/Ai4h.Audit.Bench/Ai4h.Audit.Bench.csproj --configuration Release --nologo -v quiet
# The sequencer figure appends events to a database of its own, migrated like production.
database="${AI4H_BENCH_DATABASE:-ai4h_bench}"
bash scripts/postgres.sh "$database" > /dev/null
export AI4H_DB="Host=localhost;Port=${PGPORT:-5432};Database=$database;Username=ai4h_app"
dotnet build src/Ai4h.Audit.Api/Ai4h.Audit.Api.csproj --configuration Release --nologo -v quiet
dotnet src/Ai4h.Audit.Api/bin/Release/net10.0/Ai4h.Audit.Api.dll migrate > /dev/null
# The write figure runs the Api's dll from the bench's output folder (built with it above) as a child process.
dotnet bench/Ai4h.Audit.Bench/bin/Release/net10.0/Ai4h.Audit.Bench.dll "$@"
