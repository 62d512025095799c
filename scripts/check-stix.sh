#!/usr/bin/env bash
# The STIX export and the TAXII 2.1 server checked with the ecosystem's own tools (docs/sharing.md): installs pinned
# stix2-validator, stix2 and taxii2-client from PyPI into a venv under ~/.cache/hydrawatch (reused on the next run),
# starts the API on the test services (MONGO_URL, set by scripts/test.sh) with the seeded research data and a video
# (scripts/stix-api.ts) and a researcher token, and runs scripts/check-stix.py against it. Exit 0: the export is valid
# STIX 2.1 (0 validator errors; warnings are printed), stix2 parses it, taxii2-client reads and pages every collection.
# Needs dist/ (scripts/setup.sh builds it).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

validator_version=3.3.2
stix2_version=3.0.2
taxii_version=2.3.0
venv="${HYDRAWATCH_CACHE_DIR:-$HOME/.cache/hydrawatch}/venv-stix-$validator_version-$stix2_version-$taxii_version"
py="$venv/bin/python"
if ! "$py" -c 'import stix2validator, stix2, taxii2client' >/dev/null 2>&1; then
  rm -rf "$venv"
  log="${TMPDIR:-/tmp}/hydrawatch-stix-install.log"
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check "stix2-validator==$validator_version" "stix2==$stix2_version" "taxii2-client==$taxii_version"; } >"$log" 2>&1; then
    echo "check-stix: cannot install stix2-validator==$validator_version stix2==$stix2_version taxii2-client==$taxii_version from PyPI into $venv (no network, or no python3 venv?):"
    tail -5 "$log"
    exit 1
  fi
fi
[ -n "${MONGO_URL:-}" ] || { echo "check-stix: MONGO_URL is not set (run through scripts/test.sh)"; exit 1; }
[ -f dist/scripts/stix-api.js ] || { echo "check-stix: dist/ is missing (npx tsc -p tsconfig.json)"; exit 1; }

token="stix-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
out="$(mktemp /tmp/hydrawatch-stix.XXXXXX)"
HYDRAWATCH_STIX_TOKEN="$token" node dist/scripts/stix-api.js >"$out" 2>&1 &
api_pid=$!
trap 'kill "$api_pid" 2>/dev/null; wait "$api_pid" 2>/dev/null; rm -f "$out"' EXIT
url=""
for _ in $(seq 1 120); do
  url="$(head -1 "$out" | grep -o 'http://[0-9.:]*' || true)"
  [ -n "$url" ] && break
  kill -0 "$api_pid" 2>/dev/null || break
  sleep 0.5
done
[ -n "$url" ] || { echo "check-stix: the API did not start:"; cat "$out"; exit 1; }

timeout 120 "$py" scripts/check-stix.py "$url" "$token"
rc=$?
[ "$rc" -eq 124 ] && echo "check-stix: stopped after 120 s"
exit "$rc"
