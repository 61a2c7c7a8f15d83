#!/usr/bin/env bash
# Throughput of the Slurm executor against the local one, in the same run on this machine: starts the
# one-node test cluster (scripts/slurm-cluster.sh; root), runs a quick model comparison on the twin with
# N replicates through Slurm and then locally (--jobs = cores), prints replicate tasks per minute for
# each and their ratio, and stops the cluster. Usage: Benchmarks/slurm-scaling.sh [N] (default 8).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-8}
work=$(mktemp -d /tmp/landslide-scaling.XXXXXX)
trap 'scripts/slurm-cluster.sh stop "$work/cluster" >/dev/null; rm -rf "$work"' EXIT
scripts/slurm-cluster.sh start "$work/cluster" >/dev/null
export SLURM_CONF=$work/cluster/slurm.conf
bin=.build/release
$bin/landslide twin --out "$work/twin" > /dev/null
args=(--study "$work/twin/twin.yaml" --quick --replicates "$n")
t0=$(date +%s.%N)
$bin/model-comparison "${args[@]}" --out "$work/slurm" --executor slurm --wait > "$work/slurm.log" 2>&1
t1=$(date +%s.%N)
$bin/model-comparison "${args[@]}" --out "$work/local" > "$work/local.log" 2>&1
t2=$(date +%s.%N)
awk -v n="$n" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v cpus="$(nproc)" 'BEGIN {
  s = t1 - t0; l = t2 - t1
  printf "slurm-scaling: %d replicates of a quick model comparison on the twin, %d CPUs\n", n, cpus
  printf "  slurm (one array task per replicate, aggregation after): %6.1f s  %5.2f tasks/min\n", s, 60 * n / s
  printf "  local (--jobs %d):                                        %6.1f s  %5.2f tasks/min\n", cpus, l, 60 * n / l
  printf "  slurm / local wall time: %.2f\n", s / l
}'
