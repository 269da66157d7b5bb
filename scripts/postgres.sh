#!/usr/bin/env bash
# Provisions the PostgreSQL that Ai4h.Audit records into. Idempotent; quick when everything exists.
#   - installs Debian's postgresql if the server is missing (root, or sudo);
#   - starts a cluster (as root through Debian's pg_ctlcluster; an ordinary user's running server is used as is);
#   - creates the two roles: ai4h_owner (owns the schema, migrates) and ai4h_app (what the services log in as);
#   - creates the databases named as arguments (default: ai4h ai4h_test), owned by ai4h_owner.
# Passwords are generated on first use and kept in the invoking user's ~/.pgpass (mode 0600), which Npgsql and
# psql read; none is ever written to the repository. Usage: bash scripts/postgres.sh [database ...]
# PGPORT, PGPASSFILE and AI4H_PG_SOCKET_DIR point it at another, already running cluster (tests/.../PrivateCluster.cs).
set -euo pipefail

port="${PGPORT:-5432}"
owner_role="ai4h_owner"
app_role="${AI4H_APP_ROLE:-ai4h_app}"
databases=("$@")
[[ ${#databases[@]} -gt 0 ]] || databases=(ai4h ai4h_test)

log() { printf 'postgres.sh: %s\n' "$*"; }
as_root() { if [[ $EUID -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

# --- 1. The server -----------------------------------------------------------------------------------------
server_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [[ -z "$(server_bin)" ]]; then
  log "installing Debian's postgresql"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null
fi
version="$(basename "$(dirname "$(server_bin)")")"

# Superuser SQL: as root through the postgres OS user; otherwise sudo, else a local superuser login. A private
# cluster (the fault tests' throwaway one) names its socket directory in AI4H_PG_SOCKET_DIR, where it trusts the
# superuser: then that socket is used directly, whoever runs this.
superuser_psql() {
  if [[ -n "${AI4H_PG_SOCKET_DIR:-}" ]]; then psql -h "$AI4H_PG_SOCKET_DIR" -p "$port" -U "${PGSUPERUSER:-postgres}" -v ON_ERROR_STOP=1 -qAtX "$@"
  elif [[ $EUID -eq 0 ]]; then runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qAtX "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo -u postgres psql -p "$port" -v ON_ERROR_STOP=1 -qAtX "$@"
  else psql -h localhost -p "$port" -U "${PGSUPERUSER:-postgres}" -v ON_ERROR_STOP=1 -qAtX "$@"
  fi
}

server_ready() { pg_isready -q -h localhost -p "$port" 2>/dev/null; }
if ! server_ready && [[ -n "${AI4H_PG_SOCKET_DIR:-}" ]]; then
  log "the private cluster on port $port is not running; start it first"; exit 1
fi
if ! server_ready; then
  if [[ $EUID -eq 0 ]] || (command -v sudo >/dev/null && sudo -n true 2>/dev/null); then
    if ! pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
      log "creating cluster $version/main on port $port"
      as_root pg_createcluster "$version" main --port "$port" > /dev/null
    fi
    log "starting cluster $version/main"
    as_root pg_ctlcluster "$version" main start
  else
    log "no PostgreSQL answers on localhost:$port and this user cannot start one; start it and run again"
    exit 1
  fi
  for _ in $(seq 1 30); do server_ready && break; sleep 1; done
  server_ready || { log "PostgreSQL did not come up on port $port"; exit 1; }
fi

# Each Api, Runner and test host keeps its own pool plus Wolverine's agents; the test run starts several of them at once
# (in-process hosts, Runner and Api processes, the web application), which can pass Debian's default of 100.
min_connections=300
# Only Debian's own cluster is restarted here: a cluster named by AI4H_PG_SOCKET_DIR belongs to whoever started it.
if [[ -z "${AI4H_PG_SOCKET_DIR:-}" ]] && [[ "$(superuser_psql -c 'show max_connections')" -lt $min_connections ]] && { [[ $EUID -eq 0 ]] || (command -v sudo >/dev/null && sudo -n true 2>/dev/null); }; then
  log "raising max_connections to $min_connections (restarts the cluster)"
  superuser_psql -c "alter system set max_connections = $min_connections"
  as_root pg_ctlcluster "$version" main restart
  for _ in $(seq 1 30); do server_ready && break; sleep 1; done
  server_ready || { log "PostgreSQL did not come back on port $port"; exit 1; }
fi

# --- 2. Roles, with passwords kept in ~/.pgpass --------------------------------------------------------------
pgpass="${PGPASSFILE:-$HOME/.pgpass}"
touch "$pgpass" && chmod 600 "$pgpass"

password_for() { awk -F: -v r="$1" -v p="$port" '($1 == "localhost") && $2 == p && $4 == r { print $5; exit }' "$pgpass"; }

ensure_role() {
  local role="$1" password
  password="$(password_for "$role")"
  if [[ -z "$password" ]]; then
    password="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
    printf 'localhost:%s:*:%s:%s\n127.0.0.1:%s:*:%s:%s\n' "$port" "$role" "$password" "$port" "$role" "$password" >> "$pgpass"
  fi
  # Create or re-align the role's password with ~/.pgpass (the SQL goes through stdin, not the process list).
  superuser_psql <<SQL
select format('create role %I login', '$role') where not exists (select from pg_roles where rolname = '$role') \gexec
alter role "$role" with login nosuperuser nocreatedb nocreaterole password '$password';
SQL
}
ensure_role "$owner_role"
ensure_role "$app_role"

# --- 3. Databases -------------------------------------------------------------------------------------------
for db in "${databases[@]}"; do
  superuser_psql <<SQL
select format('create database %I owner %I', '$db', '$owner_role') where not exists (select from pg_database where datname = '$db') \gexec
revoke all on database "$db" from public;
grant connect, temporary on database "$db" to "$app_role";
grant all on database "$db" to "$owner_role";
SQL
  # Nobody but the owner creates objects; the application role never owns anything it could alter.
  superuser_psql -d "$db" <<SQL
revoke all on schema public from public;
grant usage on schema public to "$app_role";
alter schema public owner to "$owner_role";
SQL
done

# --- 4. Check both logins over TCP, as the services will connect ---------------------------------------------
for role in "$owner_role" "$app_role"; do
  psql "host=localhost port=$port dbname=${databases[0]} user=$role" -qAtXc "select 1" > /dev/null \
    || { log "cannot log in as $role over TCP; check pg_hba.conf allows scram-sha-256 for localhost"; exit 1; }
done
log "PostgreSQL $version on localhost:$port; roles $owner_role (migrates) and $app_role (services); databases: ${databases[*]}"
