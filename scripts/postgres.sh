#!/usr/bin/env bash
# A private PostgreSQL cluster (Debian's postgresql) for the embedded FerretDB's PostgreSQL backend.
#   scripts/postgres.sh start DATA_DIR PORT   initdb on first use, start on 127.0.0.1:PORT, create database "ferretdb";
#                                             prints the URL FerretDB connects to
#   scripts/postgres.sh stop DATA_DIR         fast shutdown
#   scripts/postgres.sh destroy DATA_DIR      fast shutdown, then delete the cluster (throw-away test clusters)
# PostgreSQL refuses to run as root: as root the cluster runs as the "postgres" user, and its data directory must be
# one that user can reach (a directory under a private home is moved to /var/tmp/hydrawatch-pg/<hash>).
# Local only: the server listens on 127.0.0.1 with trust authentication for the local stack and tests.
set -euo pipefail
cmd="${1:-}"; dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start DATA_DIR PORT | stop DATA_DIR" >&2; exit 2; }
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bin/pg_ctl" ] || { echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql; scripts/setup.sh does it)" >&2; exit 1; }
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
as=()
if [ "$(id -u)" -eq 0 ]; then
  as=(runuser -u postgres --)
  if ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
    alt="/var/tmp/hydrawatch-pg/$(printf '%s' "$dir" | sha256sum | cut -c1-16)"
    mkdir -p "$alt"; chmod 755 /var/tmp/hydrawatch-pg
    dir="$alt"
  fi
  chown postgres "$dir"
fi
data="$dir/pgdata"
case "$cmd" in
  start)
    port="${3:?port}"
    if [ ! -f "$data/PG_VERSION" ]; then
      "${as[@]}" "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    "${as[@]}" "$bin/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB" \
      start >/dev/null || { tail -20 "$dir/postgres.log" >&2; exit 1; }
    "${as[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc "select 1 from pg_database where datname='ferretdb'" | grep -q 1 \
      || "${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres ferretdb
    echo "postgres://postgres@127.0.0.1:$port/ferretdb?pool_max_conns=100"
    ;;
  stop)
    [ -f "$data/postmaster.pid" ] && "${as[@]}" "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  destroy)
    [ -f "$data/postmaster.pid" ] && "${as[@]}" "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start DATA_DIR PORT | stop DATA_DIR" >&2; exit 2 ;;
esac
