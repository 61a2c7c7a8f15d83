#!/usr/bin/env bash
# Reruns the terrain comparisons of issue F2:
#  1. slope, aspect, TPI and roughness against gdaldem, on every cell whose 3 × 3 window is valid,
#     to 1e-3 (degrees or metres): pass/fail;
#  2. slope and log10 catchment area against Loja's upstream SAGA layers (different methods):
#     correlation and median absolute difference, for information.
# Usage: scripts/compare-gdaldem.sh [DEM.tif] [SAGA_FOLDER]   (defaults: ../shared/data/loja)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${LANDSLIDE_DATA_ROOT:-../shared/data}/loja
dem=${1:-$data/dem.tif}
saga=${2:-$data}
bin=.build/release/landslide
[ -x "$bin" ] || swift build -c release --product landslide >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" terrain --dem "$dem" --out "$work/ours" >/dev/null 2>&1
status=0
echo "1. against gdaldem $(gdalinfo --version | cut -d, -f1 | cut -d' ' -f2) (cells with a valid 3 × 3 window, tolerance 1e-3)"
for pair in "slope slope" "aspect aspect --angular" "tpi TPI" "roughness roughness"; do
  set -- $pair
  gdaldem "$2" "$dem" "$work/gdaldem_$2.tif" -q
  if out=$("$bin" compare "$work/ours/$1.tif" "$work/gdaldem_$2.tif" ${3:-} --full-window-of "$dem" --tolerance 1e-3 2>&1); then
    verdict=pass
  else
    verdict=FAIL
    status=1
  fi
  cells=$(grep '"cells"' <<<"$out" | tr -dc '0-9')
  max=$(grep max_abs <<<"$out" | awk '{print $3}' | tr -d ,)
  printf '   %-10s %s  cells %s  max |diff| %s\n' "$1" "$verdict" "$cells" "$max"
done

echo "2. against the upstream SAGA layers (information only)"
for pair in "slope slope.tif" "log10_catchment_area log10_carea.tif"; do
  set -- $pair
  [ -f "$saga/$2" ] || { echo "   $2 not found in $saga; skipped"; continue; }
  out=$("$bin" compare "$work/ours/$1.tif" "$saga/$2")
  r=$(grep pearson <<<"$out" | awk '{print $3}' | tr -d ,)
  med=$(grep median_abs <<<"$out" | awk '{print $3}' | tr -d ,)
  printf '   %-22s vs %-16s Pearson r %s  median |diff| %s\n' "$1" "$2" "$r" "$med"
done
exit $status
