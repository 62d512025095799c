#!/usr/bin/env bash
# The test command (README): installs what is missing, starts a throw-away redis-server, PostgreSQL and FerretDB
# (on that PostgreSQL) on free ports,
# type-checks, lints (eslint, prettier), checks the import rules (dependency-cruiser), runs every jest test against
# them, runs schemathesis against the API
# (scripts/schemathesis.sh; full runs only, or HYDRAWATCH_SCHEMATHESIS=1), checks the STIX export and TAXII server with
# stix2-validator, stix2 and taxii2-client (scripts/check-stix.sh; the same, HYDRAWATCH_STIX_CHECK), validates the MISP
# export with PyMISP (scripts/misp-validate.sh; the same, HYDRAWATCH_MISP), and prints one line "tests: N passed, N failed" last.
# Extra arguments go to jest (e.g. `bash scripts/test.sh test/unit`).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! bash scripts/setup.sh; then
  echo "setup failed"
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

run_dir="$(mktemp -d /tmp/hydrawatch-test.XXXXXX)"
pids=()
pg_dir=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ -n "$pg_dir" ] && bash scripts/postgres.sh destroy "$pg_dir"
  rm -rf "$run_dir"
}
trap cleanup EXIT

redis_port="$(node scripts/free-port.js)"
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$run_dir" --save '' --appendonly no \
  --daemonize no --loglevel warning >"$run_dir/redis.log" 2>&1 &
pids+=($!)
ferret_port="$(node scripts/free-port.js)"
# FerretDB on PostgreSQL by default (as the local stack); HYDRAWATCH_FERRETDB_BACKEND=sqlite tests the SQLite backend.
ferret_args=(--data-dir "$run_dir/ferretdb")
if [ "${HYDRAWATCH_FERRETDB_BACKEND:-postgresql}" = "postgresql" ]; then
  pg_port="$(node scripts/free-port.js)"
  pg_dir="$run_dir/postgres"
  # a throw-away cluster: fsync and full_page_writes off (the local stack keeps them on)
  pg_url="$(bash scripts/postgres.sh start "$pg_dir" "$pg_port" --throwaway)" || { echo "PostgreSQL did not start"; echo "tests: 0 passed, 1 failed"; exit 1; }
  ferret_args+=(--postgresql-url "$pg_url")
  export HYDRAWATCH_PG_URL="$pg_url"
fi
"$(bash scripts/build-ferretdb.sh)" --listen-addr "127.0.0.1:$ferret_port" "${ferret_args[@]}" \
  >"$run_dir/ferretdb.log" 2>&1 &
pids+=($!)
node scripts/wait-port.js "$redis_port" 30 && node scripts/wait-port.js "$ferret_port" 60 || {
  cat "$run_dir"/*.log; echo "tests: 0 passed, 1 failed"; exit 1; }
export REDIS_URL="redis://127.0.0.1:$redis_port"
export MONGO_URL="mongodb://127.0.0.1:$ferret_port/"
echo "test services: REDIS_URL=$REDIS_URL MONGO_URL=$MONGO_URL" >&2

typecheck_failed=0
# setup.sh already compiled with tsc; a type error there would have stopped it. Count it as a check all the same.
if ! npx tsc -p tsconfig.json --noEmit; then typecheck_failed=1; fi

lint_failed=0
# typescript-eslint (eslint.config.mjs, type-aware): one check, like the type check; findings are printed above the summary.
if ! npx eslint; then lint_failed=1; fi
# prettier (.prettierrc.json): unformatted files count as a lint failure too (`npm run format` fixes them)
if ! npm run --silent format:check; then lint_failed=1; fi

imports_failed=0
# import rules (dependency-cruiser, .dependency-cruiser.cjs: the layers of docs/architecture.md, no cycles): one check;
# each violation is printed above the summary.
if ! npm run --silent lint:imports; then imports_failed=1; echo "import rules check FAILED (violations above)"; fi

npx jest --maxWorkers=2 --json --outputFile="$run_dir/jest.json" "$@"
jest_rc=$?

# schemathesis against the API counts as one check: on a full run (no arguments), or with HYDRAWATCH_SCHEMATHESIS=1.
# HYDRAWATCH_SCHEMATHESIS=0 skips it.
schema_checked=0
schema_failed=0
if [ "${HYDRAWATCH_SCHEMATHESIS:-$([ $# -eq 0 ] && echo 1 || echo 0)}" = "1" ]; then
  schema_checked=1
  if ! bash scripts/schemathesis.sh >"$run_dir/schemathesis.log" 2>&1; then schema_failed=1; fi
  if [ "$schema_failed" -eq 1 ]; then
    # the whole failure section (which request, which response), not only the summary
    sed -n '/^=* FAILURES =*$/,$p' "$run_dir/schemathesis.log" | head -300
    grep -q '^=* FAILURES =*$' "$run_dir/schemathesis.log" || tail -60 "$run_dir/schemathesis.log"
  else
    tail -25 "$run_dir/schemathesis.log"
  fi
  [ "$schema_failed" -eq 1 ] && echo "schemathesis check FAILED (log above)"
fi

# The STIX export and TAXII server checked by stix2-validator, stix2 and taxii2-client (scripts/check-stix.sh) count as
# one check, like schemathesis: on a full run, or with HYDRAWATCH_STIX_CHECK=1; HYDRAWATCH_STIX_CHECK=0 skips it.
stix_checked=0
stix_failed=0
if [ "${HYDRAWATCH_STIX_CHECK:-$([ $# -eq 0 ] && echo 1 || echo 0)}" = "1" ]; then
  stix_checked=1
  if ! bash scripts/check-stix.sh >"$run_dir/check-stix.log" 2>&1; then stix_failed=1; fi
  if [ "$stix_failed" -eq 1 ]; then tail -60 "$run_dir/check-stix.log"; echo "check-stix FAILED (log above)"; else grep -E '^(stix2-validator|check-stix)' "$run_dir/check-stix.log"; fi
fi
# The MISP export checked with PyMISP (scripts/misp-validate.sh) counts as one check, like schemathesis: on a full
# run, or with HYDRAWATCH_MISP=1; HYDRAWATCH_MISP=0 skips it.
misp_checked=0
misp_failed=0
if [ "${HYDRAWATCH_MISP:-$([ $# -eq 0 ] && echo 1 || echo 0)}" = "1" ]; then
  misp_checked=1
  if ! bash scripts/misp-validate.sh >"$run_dir/misp.log" 2>&1; then misp_failed=1; fi
  tail -40 "$run_dir/misp.log"
  [ "$misp_failed" -eq 1 ] && echo "MISP validation check FAILED (log above)"
fi

summary="$(node -e '
const fs = require("fs");
let r; try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { console.log("0 1"); process.exit(0); }
const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
console.log(`${r.numPassedTests} ${failed}`);
' "$run_dir/jest.json")"
passed="${summary% *}"
failed="${summary#* }"
passed=$((passed + (1 - typecheck_failed) + (1 - lint_failed) + (1 - imports_failed) + schema_checked - schema_failed + stix_checked - stix_failed + misp_checked - misp_failed))
failed=$((failed + typecheck_failed + lint_failed + imports_failed + schema_failed + stix_failed + misp_failed))
if [ "$jest_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
