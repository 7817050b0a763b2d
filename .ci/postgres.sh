#!/usr/bin/env bash
# Start a throw-away PostgreSQL 15 cluster for the test suite and print its URL on stdout.
#
# Usage: bash .ci/postgres.sh [port]        (default port 55432; must run as root)
# Installs Debian's postgresql package when missing, creates cluster "ci" on the port with trust
# authentication and no fsync, and a role/database "ladder". Idempotent: a running cluster is
# reused. Progress goes to stderr so `URL=$(bash .ci/postgres.sh)` captures only the URL.
set -euo pipefail

PORT="${1:-55432}"
VERSION=15
CLUSTER=ci

say() { echo "postgres.sh: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  say "must run as root (uses apt-get and Debian's pg_createcluster)"
  exit 1
fi

if [[ ! -x /usr/lib/postgresql/$VERSION/bin/postgres ]]; then
  say "installing PostgreSQL $VERSION from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "postgresql-$VERSION" postgresql-common >&2
fi

if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$VERSION/$CLUSTER"; then
  say "creating cluster $VERSION/$CLUSTER on port $PORT"
  pg_createcluster "$VERSION" "$CLUSTER" -p "$PORT" -- -A trust --no-sync >&2
  # Test speed over durability: this cluster holds nothing worth keeping.
  conf="/etc/postgresql/$VERSION/$CLUSTER/postgresql.conf"
  {
    echo "fsync = off"
    echo "synchronous_commit = off"
    echo "full_page_writes = off"
    echo "max_connections = 200"
  } >>"$conf"
fi

PORT=$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $3}')
if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}' | grep -q online; then
  pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi

psql_admin() { runuser -u postgres -- psql -h 127.0.0.1 -p "$PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }
for _ in $(seq 1 50); do
  psql_admin -c "SELECT 1" >/dev/null 2>&1 && break
  sleep 0.1
done
if [[ -z $(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'ladder'") ]]; then
  psql_admin -c "CREATE ROLE ladder LOGIN CREATEDB PASSWORD 'ladder'" >&2
fi
if [[ -z $(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'ladder'") ]]; then
  psql_admin -c "CREATE DATABASE ladder OWNER ladder" >&2
fi
say "PostgreSQL $VERSION is up on port $PORT"
echo "postgresql+psycopg://ladder:ladder@127.0.0.1:$PORT/ladder"
