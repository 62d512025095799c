# Shared by the checks that run the ecosystem's own Python tools (check-stix.sh, schemathesis.sh, misp-validate.sh).
# Source it; it defines functions only.

# ensure_venv LABEL VENV CHECK PACKAGE...: makes VENV (python3 -m venv) with the pinned PACKAGEs from PyPI unless
# "VENV/bin/python -c CHECK" already succeeds there (the venv is reused on the next run). Returns 1, with the last lines
# of pip's log, when it cannot.
ensure_venv() {
  local label="$1" venv="$2" check="$3"
  shift 3
  "$venv/bin/python" -c "$check" >/dev/null 2>&1 && return 0
  rm -rf "$venv"
  local log="${TMPDIR:-/tmp}/hydrawatch-$label-install.log"
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check "$@"; } >"$log" 2>&1; then
    echo "$label: cannot install $* from PyPI into $venv (no network, or no python3 venv?):"
    tail -5 "$log"
    return 1
  fi
}

# start_seeded_api LABEL SCRIPT TOKEN_ENV TOKEN: runs dist/scripts/SCRIPT.js (scripts/seeded-api.ts) with TOKEN in
# TOKEN_ENV, waits for the base URL it prints and sets api_url and api_pid; an EXIT trap stops it. Returns 1 when the
# API did not start (its output printed).
start_seeded_api() {
  local label="$1" script="$2" token_env="$3" token="$4"
  [ -n "${MONGO_URL:-}" ] || { echo "$label: MONGO_URL is not set (run through scripts/test.sh)"; return 1; }
  [ -f "dist/scripts/$script.js" ] || { echo "$label: dist/ is missing (npx tsc -p tsconfig.json)"; return 1; }
  api_out="$(mktemp "/tmp/hydrawatch-$label.XXXXXX")"
  env "$token_env=$token" node "dist/scripts/$script.js" >"$api_out" 2>&1 &
  api_pid=$!
  trap 'kill "$api_pid" 2>/dev/null; wait "$api_pid" 2>/dev/null; rm -f "$api_out"' EXIT
  api_url=""
  for _ in $(seq 1 120); do
    api_url="$(head -1 "$api_out" | grep -o 'http://[0-9.:]*' || true)"
    [ -n "$api_url" ] && break
    kill -0 "$api_pid" 2>/dev/null || break
    sleep 0.5
  done
  [ -n "$api_url" ] || { echo "$label: the API did not start:"; cat "$api_out"; return 1; }
}
