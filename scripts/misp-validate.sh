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
if ! "$py" -c "import pymisp; assert pymisp.__version__ == '$version'" >/dev/null 2>&1; then
  rm -rf "$venv"
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check "pymisp==$version"; } >"${TMPDIR:-/tmp}/hydrawatch-pymisp-install.log" 2>&1; then
    echo "misp-validate: cannot install pymisp==$version from PyPI into $venv (no network, or no python3 venv?):"
    tail -5 "${TMPDIR:-/tmp}/hydrawatch-pymisp-install.log"
    exit 1
  fi
fi
[ -n "${MONGO_URL:-}" ] || { echo "misp-validate: MONGO_URL is not set (run through scripts/test.sh)"; exit 1; }
[ -f dist/scripts/misp-export-seeded.js ] || { echo "misp-validate: dist/ is missing (npx tsc -p tsconfig.json)"; exit 1; }

out="$(mktemp /tmp/hydrawatch-misp.XXXXXX.json)"
trap 'rm -f "$out"' EXIT
node dist/scripts/misp-export-seeded.js "$out" || exit 1
"$py" scripts/misp_validate.py "$out"
