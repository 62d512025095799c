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
. scripts/lib/python-checks.sh
ensure_venv check-stix "$venv" 'import stix2validator, stix2, taxii2client' \
  "stix2-validator==$validator_version" "stix2==$stix2_version" "taxii2-client==$taxii_version" || exit 1
token="stix-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
start_seeded_api check-stix stix-api HYDRAWATCH_STIX_TOKEN "$token" || exit 1
url="$api_url"

timeout 120 "$py" scripts/check-stix.py "$url" "$token"
rc=$?
[ "$rc" -eq 124 ] && echo "check-stix: stopped after 120 s"
exit "$rc"
