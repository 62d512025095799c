#!/usr/bin/env bash
# Builds the embedded FerretDB 1.24 (SQLite backend, telemetry off) from scripts/ferretdb/ and prints the binary path.
# The binary is cached under the Go build cache, keyed by the module's files, so a second run skips the build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/ferretdb"
command -v go >/dev/null || { echo "build-ferretdb: 'go' is not installed (needed to build FerretDB)" >&2; exit 1; }
key="$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-16)"
cache="$(go env GOCACHE)/hydrawatch-ferretdb/$key"
bin="$cache/ferretdb"
if [ ! -x "$bin" ]; then
  echo "build-ferretdb: building FerretDB into $cache (first run takes about a minute)" >&2
  mkdir -p "$cache"
  (cd "$src" && GOFLAGS=-mod=mod go build -trimpath -o "$bin.tmp" .)
  mv "$bin.tmp" "$bin"
fi
echo "$bin"
