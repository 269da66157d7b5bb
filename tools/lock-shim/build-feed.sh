#!/usr/bin/env bash
# Builds the repo-local NuGet feed (packages-local/) holding the metadata-only
# Patched.DistributedLock.Postgres 1.3.3 that Marten 9.58.0 needs but the registry does not serve.
# Idempotent: does nothing when the package is already there. Run before every restore.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
feed="$(cd "$here/../.." && pwd)/packages-local"
pkg="Patched.DistributedLock.Postgres.1.3.3.nupkg"
mkdir -p "$feed"
[[ -f "$feed/$pkg" ]] && exit 0
# Pack from a scratch copy so the repo's Directory.*.props do not apply to the shim.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/shim.csproj" "$here/Patched.DistributedLock.Postgres.nuspec" "$work/"
dotnet pack "$work/shim.csproj" --configuration Release --output "$feed" --nologo >/dev/null
echo "lock-shim: wrote $feed/$pkg"
