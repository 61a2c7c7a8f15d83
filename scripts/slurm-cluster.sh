#!/usr/bin/env bash
# A private single-node Slurm cluster on this machine, for `make test-slurm` and for trying the
# harness's Slurm executor without a real cluster.
#
#   scripts/slurm-cluster.sh start DIR   install slurm-wlm and munge with apt if missing (root), write a
#                                        slurm.conf and a munge key under DIR, start munged, slurmctld and
#                                        slurmd (ports of their own), wait until the node is idle, and
#                                        print `export SLURM_CONF=DIR/slurm.conf`
#   scripts/slurm-cluster.sh stop DIR    stop the daemons started in DIR by their pids; leaves nothing running
#
# Everything lives under DIR (config, key, state, spool, logs, pid files): nothing under /etc is read or
# changed, so it runs beside a real Slurm install. Clients find the cluster through SLURM_CONF.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)

stop() {
  local stopped=()
  for name in slurmd slurmctld munged; do
    local pidfile=$dir/$name.pid
    [ -f "$pidfile" ] || continue
    local pid; pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
      stopped+=("$name ($pid)")
    fi
    rm -f "$pidfile"
  done
  # Job steps slurmd started (slurmstepd) exit with it; any left are this cluster's, found by its config.
  pkill -f "slurmstepd.*$dir" 2>/dev/null || true
  echo "slurm-cluster: stopped ${stopped[*]:-nothing (no daemon was running)}"
}

if [ "$action" = stop ]; then stop; exit 0; fi
[ "$action" = start ] || usage

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then echo "slurm-cluster: slurm-wlm and munge are missing; install them as root (apt-get install slurm-wlm munge)" >&2; exit 1; fi
  echo "slurm-cluster: installing slurm-wlm and munge with apt"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi
[ "$(id -u)" -eq 0 ] || { echo "slurm-cluster: slurmd must run as root" >&2; exit 1; }

# Already running from this folder: stop it first (a start is always a clean start).
stop >/dev/null

host=$(hostname -s)
cpus=$(nproc)
memory_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))
# Ports of its own: a base picked from the folder's name, moved on while any is taken.
port=$(( 20000 + $(cksum <<<"$dir" | cut -d' ' -f1) % 20000 ))
taken() { ss -ltn 2>/dev/null | awk '{print $4}' | grep -qE ":($1|$(( $1 + 1 )))\$"; }
while taken "$port"; do port=$(( port + 2 )); done

mkdir -p "$dir/state" "$dir/spool" "$dir/munge" "$dir/logs"
chmod 700 "$dir/munge"
if [ ! -s "$dir/munge/munge.key" ]; then
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
fi

cat > "$dir/slurm.conf" <<EOF
# Written by scripts/slurm-cluster.sh: a single-node cluster for the harness's tests.
ClusterName=landslide-test
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$(( port + 1 ))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/logs/slurmctld.log
SlurmdLogFile=$dir/logs/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=$(( memory_mb / cpus ))
ReturnToService=2
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
NodeName=$host CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
touch "$dir/plugstack.conf"

munged --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" --pid-file="$dir/munged.pid" \
  --log-file="$dir/logs/munged.log" --seed-file="$dir/munge/munge.seed" --force
export SLURM_CONF=$dir/slurm.conf
slurmctld -f "$SLURM_CONF" -i
slurmd -f "$SLURM_CONF"

for _ in $(seq 120); do
  state=$(sinfo -h -N -o %T 2>/dev/null | head -1 || true)
  [ "$state" = idle ] && break
  sleep 0.5
done
if [ "${state:-}" != idle ]; then
  echo "slurm-cluster: the node did not become idle (state: ${state:-none}); logs in $dir/logs" >&2
  tail -5 "$dir/logs/slurmctld.log" "$dir/logs/slurmd.log" >&2 || true
  stop >&2
  exit 1
fi
echo "slurm-cluster: $host up ($cpus CPUs, $memory_mb MB; slurmctld :$port, slurmd :$(( port + 1 ))); daemons' pids in $dir/*.pid"
echo "export SLURM_CONF=$dir/slurm.conf"
