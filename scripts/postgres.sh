#!/usr/bin/env bash
# A private PostgreSQL cluster (Debian's postgresql) for the embedded FerretDB's PostgreSQL backend.
#   scripts/postgres.sh start DATA_DIR PORT [--throwaway]
#                                             initdb on first use, start on 127.0.0.1:PORT, create database "ferretdb";
#                                             prints the URL FerretDB connects to
#   scripts/postgres.sh stop DATA_DIR         fast shutdown
#   scripts/postgres.sh destroy DATA_DIR      fast shutdown, then delete the cluster (throw-away test clusters)
# PostgreSQL refuses to run as root: as root the cluster runs as the "postgres" user, and its data directory must be
# one that user can reach (a directory under a private home is moved to /var/tmp/hydrawatch-pg/<hash>).
# Local only: the server listens on 127.0.0.1 with trust authentication for the local stack and tests.
# Durability: by default (the local stack, which users run for months) fsync=on and full_page_writes=on, so an OS
# crash or a power loss never corrupts the cluster; synchronous_commit=off only risks the last fraction of a second
# of acknowledged commits on an OS crash/power loss (at most 3 x wal_writer_delay, 200 ms by default). A crash of
# PostgreSQL or FerretDB alone (the OS stays up) loses no acknowledged write: the WAL is in the OS's page cache.
# --throwaway (test clusters, scripts/test.sh) turns fsync and full_page_writes off too: faster, and a crash of the
# machine may corrupt the cluster, which is deleted anyway.
set -euo pipefail
usage="usage: $0 start DATA_DIR PORT [--throwaway] | stop DATA_DIR | destroy DATA_DIR"
cmd="${1:-}"; dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "$usage" >&2; exit 2; }
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
    port="${3:-}"
    [[ "$port" =~ ^[0-9]+$ ]] || { echo "postgres.sh start: PORT must be a number (got \"$port\"); $usage" >&2; exit 2; }
    mode="${4:-}"
    case "$mode" in
      "") durability=(-c fsync=on -c full_page_writes=on); initdb_sync=() ;;
      --throwaway) durability=(-c fsync=off -c full_page_writes=off); initdb_sync=(--no-sync) ;;
      *) echo "postgres.sh start: unknown option \"$mode\" (only --throwaway); $usage" >&2; exit 2 ;;
    esac
    if [ ! -f "$data/PG_VERSION" ]; then
      "${as[@]}" "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 "${initdb_sync[@]}" >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    "${as[@]}" "$bin/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 120 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 ${durability[*]} -c synchronous_commit=off -c max_connections=200 -c shared_buffers=256MB" \
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
  *) echo "$usage" >&2; exit 2 ;;
esac
