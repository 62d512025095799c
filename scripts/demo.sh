#!/usr/bin/env bash
# The run command (README): installs what is missing, then runs hydrawatch with the offline demo —
# a local simulator of the platforms, the embedded stack (redis-server + FerretDB under data/), the scheduler and a
# worker, crawling config/sources.yaml. Ctrl-C stops everything. Extra arguments go to `hydrawatch demo`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec node dist/src/cli/main.js demo "$@"
