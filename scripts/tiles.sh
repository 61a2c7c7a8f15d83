#!/usr/bin/env bash
# A large map as N tiles (bands of rows), run here or as a Slurm array job, put together as GDAL VRTs.
#
#   scripts/tiles.sh [--executor local|slurm] [--tiles N] [--jobs J] [--wait] OUT -- landslide ppm|terrain|map ARGS…
#
# Tile i (1…N) runs the command with `--tile i/N` and `--out OUT/tiles/i` (terrain, ppm: a folder of
# GeoTIFFs) or `--out OUT/tiles/i.tif` (map); ARGS must not hold --out or --tile. Then the mosaic: one
# OUT/<layer>.vrt per layer (OUT/map.vrt for a map), by gdalbuildvrt, equal to the whole map cell for cell.
#
#   --executor local   (default) the tiles run on this machine, J at a time (default: the number of cores)
#   --executor slurm   the tiles are the tasks of one `sbatch --array=…` job (logs OUT/slurm/tile-<i>.out) and
#                      the mosaic is a job after it (--dependency=afterok; cancelled if a tile fails). sbatch
#                      reads the partition, account, time and memory from its environment: SBATCH_PARTITION,
#                      SBATCH_ACCOUNT, SBATCH_TIMELIMIT, SBATCH_MEM_PER_NODE. Without --wait it submits and returns.
#
# A tile whose output is complete (its ppm.json / terrain.json, or its map GeoTIFF) is not run again, so a
# rerun after a failed or killed tile resumes.
set -euo pipefail

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
executor=local tiles=4 jobs=$(nproc) wait=no mosaic_only=no
while [ $# -gt 0 ]; do
  case $1 in
    --executor) executor=$2; shift 2 ;;
    --tiles) tiles=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --wait) wait=yes; shift ;;
    --mosaic) mosaic_only=yes; shift ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) echo "tiles: unknown option $1" >&2; usage ;;
    *) out=$1; shift ;;
  esac
done
[ -n "${out:-}" ] || { echo "tiles: give the output folder OUT" >&2; usage; }
[[ $tiles =~ ^[1-9][0-9]*$ ]] || { echo "tiles: --tiles $tiles: expected a positive integer" >&2; exit 2; }
case $executor in local|slurm) ;; *) echo "tiles: --executor $executor: expected local or slurm" >&2; exit 2 ;; esac
mkdir -p "$out"
out=$(cd "$out" && pwd)

# What the command writes, from the file the tasks leave (tiles.cmd), so the mosaic job needs no arguments.
if [ "$mosaic_only" = no ]; then
  [ $# -ge 2 ] || { echo "tiles: give the command after --, e.g. -- .build/release/landslide ppm STUDY" >&2; exit 2; }
  for a in "$@"; do
    case $a in --out|--out=*|--tile|--tile=*) echo "tiles: the command must not hold $a (tiles.sh sets it)" >&2; exit 2 ;; esac
  done
  kind=$2
  case $kind in terrain|ppm|map) ;; *) echo "tiles: the command must be landslide terrain, ppm or map (got '$kind')" >&2; exit 2 ;; esac
  printf '%q ' "$@" > "$out/tiles.cmd"
  echo "$kind $tiles" > "$out/tiles.kind"
fi
read -r kind tiles < "$out/tiles.kind"

tile_output() { if [ "$kind" = map ]; then echo "$out/tiles/$1.tif"; else echo "$out/tiles/$1"; fi; }
tile_done() {
  case $kind in
    map) [ -s "$out/tiles/$1.tif" ] ;;
    *) [ -s "$out/tiles/$1/$kind.json" ] ;;
  esac
}

mosaic() {
  local layers=()
  if [ "$kind" = map ]; then
    layers=(map)
  else
    for f in "$out"/tiles/1/*.tif; do layers+=("$(basename "$f" .tif)"); done
  fi
  for layer in "${layers[@]}"; do
    local inputs=()
    for i in $(seq 1 "$tiles"); do
      if [ "$kind" = map ]; then inputs+=("$out/tiles/$i.tif"); else inputs+=("$out/tiles/$i/$layer.tif"); fi
    done
    gdalbuildvrt -q -overwrite "$out/$layer.vrt" "${inputs[@]}"
  done
  echo "tiles: mosaic of $tiles tiles: ${#layers[@]} VRT(s) in $out (${layers[*]})"
}

if [ "$mosaic_only" = yes ]; then mosaic; exit 0; fi

missing=()
for i in $(seq 1 "$tiles"); do tile_done "$i" || missing+=("$i"); done
mkdir -p "$out/tiles"
rm -f "$out/mosaic.status"
[ ${#missing[@]} -lt "$tiles" ] && echo "tiles: $(( tiles - ${#missing[@]} )) of $tiles tiles kept from an earlier run"

run_tile() {   # i
  local i=$1 dest; dest=$(tile_output "$i")
  rm -rf "$dest"
  eval "$(cat "$out/tiles.cmd")" --tile "$i/$tiles" --out "$dest" > "$out/tiles/$i.log" 2>&1
}

if [ "$executor" = local ]; then
  export -f run_tile tile_output; export out tiles kind
  if [ ${#missing[@]} -gt 0 ]; then
    echo "tiles: running ${#missing[@]} tile(s), $jobs at a time"
    printf '%s\n' "${missing[@]}" | xargs -P "$jobs" -I{} bash -c 'run_tile {} || { echo "tiles: tile {} failed; its log: $out/tiles/{}.log" >&2; exit 255; }'
  fi
  mosaic
  exit 0
fi

# Slurm: one array job over the missing tiles, the mosaic after it.
command -v sbatch >/dev/null || { echo "tiles: sbatch not found: Slurm's client tools are needed for --executor slurm" >&2; exit 1; }
mkdir -p "$out/slurm"
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cat > "$out/slurm/tile.sh" <<EOF
#!/usr/bin/env bash
# Written by scripts/tiles.sh: array task i computes tile i of $tiles into $out/tiles/.
set -u
i=\${SLURM_ARRAY_TASK_ID:?this script runs as a task of a Slurm array job}
dest=\$( [ "$kind" = map ] && echo "$out/tiles/\$i.tif" || echo "$out/tiles/\$i" )
rm -rf "\$dest"
$(cat "$out/tiles.cmd") --tile "\$i/$tiles" --out "\$dest"
EOF
cat > "$out/slurm/mosaic.sh" <<EOF
#!/usr/bin/env bash
# Written by scripts/tiles.sh: the VRT mosaic of $out once every tile succeeded.
$(printf '%q' "$self") --mosaic $(printf '%q' "$out")
echo \$? > $(printf '%q' "$out/mosaic.status")
EOF
chmod +x "$out/slurm/tile.sh" "$out/slurm/mosaic.sh"
dependency=()
array_job=
if [ ${#missing[@]} -gt 0 ]; then
  spec=$(IFS=,; echo "${missing[*]}")
  array_job=$(sbatch --parsable --job-name=tiles --array="$spec" --chdir="$PWD" --output="$out/slurm/tile-%a.out" "$out/slurm/tile.sh")
  array_job=${array_job%%;*}
  dependency=(--dependency="afterok:$array_job")
  echo "tiles: tiles $spec of $tiles submitted as Slurm array job $array_job (task i: $out/slurm/tile-<i>.out)"
fi
mosaic_job=$(sbatch --parsable --job-name=tiles-mosaic --kill-on-invalid-dep=yes "${dependency[@]}" --chdir="$PWD" \
  --output="$out/slurm/mosaic.out" "$out/slurm/mosaic.sh")
mosaic_job=${mosaic_job%%;*}
echo "tiles: mosaic job $mosaic_job${array_job:+ after array job $array_job (afterok)} → $out/*.vrt"
[ "$wait" = yes ] || exit 0

jobs_list=$mosaic_job${array_job:+,$array_job}
while [ -n "$(squeue -h -j "$jobs_list" -o %i 2>/dev/null || true)" ]; do sleep 2; done
if [ "$(cat "$out/mosaic.status" 2>/dev/null)" = 0 ]; then
  cat "$out/slurm/mosaic.out"
  exit 0
fi
for i in "${missing[@]}"; do
  tile_done "$i" || echo "tiles: tile $i (array job $array_job, index $i) did not finish: see $out/slurm/tile-$i.out" >&2
done
echo "tiles: the mosaic did not run; rerun the same command to resume (finished tiles are kept)" >&2
exit 1
