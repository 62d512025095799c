#!/usr/bin/env bash
# MISP export validation (docs/sharing.md#misp): installs pymisp (pinned) from PyPI into a venv under
# ~/.cache/hydrawatch (reused on the next run), exports MISP from the seeded synthetic data through the API
# (scripts/misp-export-seeded.ts, on MONGO_URL, set by scripts/test.sh) and checks every object against the
# misp-objects templates PyMISP bundles (scripts/misp_validate.py). Exit 0: no problem. Needs dist/.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

version=2.5.34.1
venv="${HYDRAWATCH_CACHE_DIR:-$HOME/.cache/hydrawatch}/venv-pymisp-$version"
py="$venv/bin/python"
. scripts/lib/python-checks.sh
ensure_venv misp-validate "$venv" "import pymisp; assert pymisp.__version__ == '$version'" "pymisp==$version" || exit 1
[ -n "${MONGO_URL:-}" ] || { echo "misp-validate: MONGO_URL is not set (run through scripts/test.sh)"; exit 1; }
[ -f dist/scripts/misp-export-seeded.js ] || { echo "misp-validate: dist/ is missing (npx tsc -p tsconfig.json)"; exit 1; }

out="$(mktemp /tmp/hydrawatch-misp.XXXXXX.json)"
trap 'rm -f "$out"' EXIT
node dist/scripts/misp-export-seeded.js "$out" || exit 1
"$py" scripts/misp_validate.py "$out"
