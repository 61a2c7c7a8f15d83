#!/usr/bin/env bash
# `make test-slurm`: starts a single-node Slurm cluster in a temporary folder (scripts/slurm-cluster.sh),
# runs the Slurm test suite through it, and stops every daemon it started, also when a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
cluster=$(mktemp -d /tmp/landslide-slurm.XXXXXX)
stop() {
  scripts/slurm-cluster.sh stop "$cluster"
  if pgrep -f "$cluster" >/dev/null; then
    echo "test-slurm: processes of the test cluster are still running:" >&2; pgrep -af "$cluster" >&2; exit 1
  fi
  rm -rf "$cluster"
}
trap stop EXIT
scripts/slurm-cluster.sh start "$cluster"
export SLURM_CONF=$cluster/slurm.conf LANDSLIDE_SLURM_TESTS=1
start=$(date +%s)
swift test --skip-build --filter 'SlurmTests'
echo "test-slurm: passed in $(( $(date +%s) - start )) s"
