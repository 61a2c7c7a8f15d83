#!/usr/bin/env bash
# Runs libFuzzer on each file reader (config, points, hyetograph, model) for SECONDS each, from a seed
# corpus of the repository's own files, the bad-input matrix's inputs and the shared Loja CSVs.
#
#   scripts/fuzz.sh SECONDS [TARGET…]
#
# Needs .build/fuzz/release/landslide-fuzz (`make fuzz` builds it). Crashing inputs are written to
# Fuzz/crashes/<target>/ (commit them: `make test` replays that folder), and the script exits 1.
# Prints one line per target: executions, seconds, corpus size, and whether it crashed.
set -uo pipefail
seconds=${1:?usage: scripts/fuzz.sh SECONDS [TARGET…]}
shift
targets=("${@:-config points hyetograph model}")
read -r -a targets <<< "${targets[*]}"
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.build/fuzz/release/landslide-fuzz"
data=${LANDSLIDE_DATA_ROOT:-$root/../shared/data}
[ -x "$bin" ] || { echo "fuzz: $bin missing; run make fuzz" >&2; exit 1; }
work="$root/.build/fuzz/work"
rm -rf "$work/inputs"
mkdir -p "$work/inputs"
python3 "$root/Tests/BadInput/make-inputs.py" "$work/inputs" "$data" "$root" || exit 1

seed() {  # target → files of its seed corpus
  case $1 in
    config) ls "$root"/Experiments/studies/*.yaml "$work"/inputs/*.yaml ;;
    points) ls "$work"/inputs/*.csv; ls "$data"/loja/*.csv 2>/dev/null ;;
    hyetograph) ls "$root"/Experiments/studies/*.csv "$work"/inputs/storm-*.csv ;;
    model) ls "$work"/inputs/model-*.json ;;
  esac
}

status=0
printf '| target | executions | seconds | exec/s | corpus files | result |\n|---|---|---|---|---|---|\n' > "$work/summary.md"
for target in "${targets[@]}"; do
  corpus="$work/corpus/$target"
  crashes="$root/Fuzz/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  seed "$target" | while read -r f; do [ -s "$f" ] && [ "$(stat -c %s "$f")" -le 65536 ] && cp "$f" "$corpus/"; done
  log="$work/$target.log"
  echo "fuzz: $target for ${seconds} s (log $log)" >&2
  LANDSLIDE_FUZZ_TARGET=$target LANDSLIDE_DATA_ROOT=$data "$bin" "$corpus" \
    -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=4096 -timeout=20 \
    -artifact_prefix="$crashes/" -print_final_stats=1 > "$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  files=$(ls "$corpus" | wc -l)
  if [ $rc -eq 0 ]; then result="no crash"; else result="CRASH (rc $rc; input in Fuzz/crashes/$target)"; status=1; fi
  rate=$(( ${runs:-0} / ( ${took:-1} > 0 ? ${took:-1} : 1 ) ))
  printf '| %s | %s | %s | %s | %s | %s |\n' "$target" "${runs:-?}" "${took:-?}" "$rate" "$files" "$result" >> "$work/summary.md"
  printf 'fuzz: %-10s %12s executions in %s s (%s/s), corpus %s files: %s\n' "$target" "${runs:-?}" "${took:-?}" "$rate" "$files" "$result"
done
rmdir "$root"/Fuzz/crashes/* 2>/dev/null
cp "$work/summary.md" "$root/.build/fuzz/summary.md"
exit $status
