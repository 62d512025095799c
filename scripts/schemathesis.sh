#!/usr/bin/env bash
# schemathesis against the API (README "Tests"): installs schemathesis (pinned) from PyPI into a venv under
# ~/.cache/hydrawatch (reused on the next run), starts the API on the test services (MONGO_URL, set by
# scripts/test.sh) with a seeded database and an analyst token, and runs schemathesis with a bounded number of
# examples. Exit 0: no server error and no schema finding. Needs dist/ (scripts/setup.sh builds it).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

version=3.39.16
# schemathesis 3.39 breaks with newer hypothesis releases ("many" object has no attribute "more"): pinned too
hypothesis_version=6.115.0
venv="${HYDRAWATCH_CACHE_DIR:-$HOME/.cache/hydrawatch}/venv-schemathesis-$version"
st="$venv/bin/schemathesis"
. scripts/lib/python-checks.sh
ensure_venv schemathesis "$venv" "import schemathesis, hypothesis; assert hypothesis.__version__ == '$hypothesis_version'" \
  "schemathesis==$version" "hypothesis==$hypothesis_version" || exit 1
token="st-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
start_seeded_api schemathesis schemathesis-api HYDRAWATCH_SCHEMATHESIS_TOKEN "$token" || exit 1
url="$api_url"

# Reproducible by default: the same inputs for the same API document (derandomized), so the test command gives the
# same answer twice. HYDRAWATCH_SCHEMATHESIS_SEED=<number> explores other inputs; =random draws a fresh seed.
case "${HYDRAWATCH_SCHEMATHESIS_SEED:-}" in
  "") seed_args=(--hypothesis-derandomize) ;;
  random) seed_args=() ;;
  *) seed_args=(--hypothesis-seed "$HYDRAWATCH_SCHEMATHESIS_SEED") ;;
esac

# Every check schemathesis 3.39 has: `--checks all` (not_a_server_error, status_code_conformance,
# content_type_conformance, response_headers_conformance, response_schema_conformance, negative_data_rejection,
# ignored_auth), plus the ones 3.39 still keeps behind experiments: positive_data_acceptance, and unsupported_method
# (the coverage phase also sends the methods a path does not declare: 405 with Allow expected). Valid and invalid
# inputs both (-D all: negative_data_rejection needs invalid ones). use_after_free and ensure_resource_availability
# run in the stateful phase (--stateful=links), which follows the links of the document.
# The token goes in as a fixed header (-H), so the generator must not make its own Authorization values
# (--generation-with-security-parameters=false): a generated "missing Authorization" case would be sent with the
# token all the same. ignored_auth still removes and replaces the token on each operation and expects 401.
# scripts/schemathesis_hooks.py (SCHEMATHESIS_HOOKS) keeps the coverage phase fast, and has negative_data_rejection
# judge a query by the text actually sent (a backport of schemathesis 4's fix: 0, false or null "of the wrong type"
# go out as the text "0", "false", "null", often a valid value).
# positive_data_acceptance takes 409 and 422 as answers to input of the documented shape: the watch-list and alert-rule
# edits validate what a schema cannot say (a cron expression, the egress policy, a duplicate id) and answer 422/409
# naming the problem; every other status outside 2xx/401/403/404 is still a finding.
# Bounded: a few examples per operation, one worker, the whole run under a hard time limit.
# HYDRAWATCH_SCHEMATHESIS_PATHS=<regex> tests only the operations whose path matches (e.g. a new route's).
path_args=()
[ -n "${HYDRAWATCH_SCHEMATHESIS_PATHS:-}" ] && path_args=(--include-path-regex "$HYDRAWATCH_SCHEMATHESIS_PATHS")
PYTHONPATH="$PWD/scripts${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=schemathesis_hooks \
timeout "${HYDRAWATCH_SCHEMATHESIS_TIMEOUT:-480}" "$st" run "$url/openapi.json" \
  --checks all \
  --experimental=positive_data_acceptance \
  --experimental-positive-data-acceptance-allowed-statuses 2xx,401,403,404,409,422 \
  --experimental=coverage-phase \
  --experimental=stateful-test-runner \
  --stateful=links \
  --data-generation-method all \
  --generation-with-security-parameters=false \
  -H "Authorization: Bearer $token" \
  --hypothesis-max-examples "${HYDRAWATCH_SCHEMATHESIS_EXAMPLES:-15}" \
  --hypothesis-deadline 10000 \
  --hypothesis-phases explicit,generate \
  "${seed_args[@]}" \
  "${path_args[@]}" \
  --workers 1 \
  --no-color
rc=$?
[ "$rc" -eq 124 ] && echo "schemathesis: stopped after ${HYDRAWATCH_SCHEMATHESIS_TIMEOUT:-480} s"
exit "$rc"
