#!/usr/bin/env bash
# The README's first command: bring the lab up, show its health, run a runbook against it
# (plan, then exec), show its health again, and bring the lab down whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/src/cli/main.js ] || npm run --silent build
lab() { node dist/lab/cli.js "$@"; }
runbook() { node dist/src/cli/main.js "$@"; }

lab up
trap 'lab down' EXIT
lab status
runbook validate
runbook plan restart-nova --inventory lab
runbook exec restart-nova --inventory lab
lab status
