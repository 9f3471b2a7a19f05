#!/usr/bin/env bash
# The README's first command: the whole disaster-recovery drill on the real-OpenStack lab. Brings
# the lab up (on a fresh machine: installs Debian's OpenStack packages and builds the lab's golden
# state once, minutes), runs the controller-loss drill (backup, writes, fault, recovery,
# verification through the APIs, report), prints where the report is, and brings the lab down
# whatever happened. Exits with the drill's code.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/bin/runbook.js ] || npm run --silent build
lab() { node dist/lab/cli.js "$@"; }
runbook() { node dist/bin/runbook.js "$@"; }
# The lab's MariaDB account for runbooks (lab/README.md, "Database accounts").
export RUNBOOK_DB_PASSWORD=runbook-lab-pass
# The default lab writes inventory/lab.yaml; a lab in another LAB_DIR writes its own.
inventory=lab
[ -z "${LAB_DIR:-}" ] || inventory="$LAB_DIR/inventory/lab.yaml"

lab up --openstack
trap 'lab down' EXIT
runbook validate
code=0
runbook drill controller-loss --inventory "$inventory" || code=$?
runbook drills | head -n 6
report=$(ls -1d .runbook/drills/*/ 2>/dev/null | sort | tail -n 1)
echo
echo "drill report: ${report}report.md (and report.json); past drills: npx runbook drills"
exit "$code"
