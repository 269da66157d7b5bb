#!/usr/bin/env bash
# The end-to-end demo: provisions PostgreSQL, builds, migrates the schema as its owner, creates the first
# administrator, starts the Api, registers a real data set (Wisconsin diagnostic breast cancer, data/wdbc),
# uploads a version, lets the Runner verify it through the durable queue, and prints the recorded history: who, when (server UTC), why, and the SHA-256;
# then benchmark, annotation, model submission and evaluation, and finally the tamper-evident ledger: a signed
# checkpoint, the exported record bundle and the offline verifier's verdict.
# Usage: bash scripts/demo.sh [--serve]   (--serve: keep the Api and Runner running afterwards, for the web application)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
serve=false
[[ "${1:-}" == "--serve" ]] && serve=true

port="${AI4H_DEMO_PORT:-5080}"
base="http://127.0.0.1:$port"
api_dll="src/Ai4h.Audit.Api/bin/Release/net10.0/Ai4h.Audit.Api.dll"
runner_dll="src/Ai4h.Audit.Runner/bin/Release/net10.0/Ai4h.Audit.Runner.dll"
key_file=".local/admin.key"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "PostgreSQL"
bash scripts/postgres.sh ai4h

step "Build"
bash tools/lock-shim/build-feed.sh
dotnet build Ai4h.Audit.sln --configuration Release --nologo -v q

step "Migrate (schema owner) and grant the application role append-and-read rights"
dotnet "$api_dll" migrate

step "First administrator"
dotnet "$api_dll" bootstrap-admin --key-file "$key_file"
if [[ ! -s "$key_file" ]]; then
  # The administrator exists from an earlier run but its key file is gone: the operator issues a new key.
  dotnet "$api_dll" issue-key --user admin --key-file "$key_file"
fi

step "The ledger's signing key (Ed25519; made once, kept in .local/, never committed)"
dotnet "$api_dll" ledger-key --key-file .local/ledger.key

step "Start the Api on $base and the Runner (logs in .local/)"
mkdir -p .local
Ai4h__Ledger__SigningKeyFile=.local/ledger.key Ai4h__Ledger__CheckpointInterval=00:00:02 \
  ASPNETCORE_URLS="$base" dotnet "$api_dll" > .local/api.log 2>&1 &
api_pid=$!
dotnet "$runner_dll" > .local/runner.log 2>&1 &
runner_pid=$!
trap 'kill $api_pid $runner_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fs "$base/health" > /dev/null 2>&1 && break
  kill -0 $api_pid 2>/dev/null || { cat .local/api.log; echo "the Api did not start"; exit 1; }
  sleep 1
done

python3 scripts/demo_walkthrough.py "$base" "$(cat "$key_file")" data/wdbc/wdbc.csv

step "The verifier, a separate program without database access, checks the exported record against the signed checkpoint"
dotnet src/Ai4h.Audit.Verify/bin/Release/net10.0/Ai4h.Audit.Verify.dll .local/record-bundle.json --key "$(cat .local/verifier.key)"
step "The same verifier checks the submission's own record: each event's inclusion proof and each artefact's bytes"
dotnet src/Ai4h.Audit.Verify/bin/Release/net10.0/Ai4h.Audit.Verify.dll .local/submission-record.jsonl --key "$(cat .local/verifier.key)"

step "Done"
echo "dossier PDF:        $(realpath .local/dossier.pdf)"
echo "submission record:  $(realpath .local/submission-record.jsonl)"
echo "whole-record bundle: $(realpath .local/record-bundle.json)"

if $serve; then
  step "Serving: the web application at $base/ (sign in as demo.regulator, demo.lead, demo.developer, demo.steward; password 'demo signing passphrase 2026'); Ctrl-C stops"
  wait $api_pid
fi
