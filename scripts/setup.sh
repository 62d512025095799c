#!/usr/bin/env bash
# Installs what hydrawatch needs on a fresh Debian machine. Idempotent: a second run only checks.
#   - Debian packages: redis-server, chromium, ffmpeg, postgresql (apt-get, as root or with sudo)
#   - npm dependencies (npm ci, no browser downloads: Playwright drives /usr/bin/chromium)
#   - the embedded FerretDB binary (scripts/build-ferretdb.sh, cached under the Go build cache)
#   - the TypeScript build (dist/)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

need=()
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v ffmpeg >/dev/null || need+=(ffmpeg)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

stamp=node_modules/.hydrawatch-lock-hash
want="$(sha256sum package-lock.json | cut -c1-64)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

bash scripts/build-ferretdb.sh >/dev/null

echo "setup: compiling TypeScript" >&2
npx tsc -p tsconfig.json || echo "setup: TypeScript reported type errors (above); dist/ was emitted anyway" >&2
