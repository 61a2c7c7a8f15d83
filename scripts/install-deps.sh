#!/usr/bin/env bash
# Installs the system libraries and tools the harness needs, with apt, only when they are missing.
# Idempotent: a second run finds everything and installs nothing. Needs root or sudo to install.
set -euo pipefail

need=()
have_pc() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1"; }

command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
have_pc gdal     || need+=(libgdal-dev)
have_pc cairo    || need+=(libcairo2-dev)
have_pc openblas || need+=(libopenblas-dev)
have_pc lapacke  || need+=(liblapacke-dev)
{ command -v gdalinfo && command -v ogr2ogr && command -v gdal_rasterize; } >/dev/null 2>&1 || need+=(gdal-bin)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
# Tests check the PDFs the charts write with poppler's pdfinfo and pdftotext.
{ command -v pdfinfo && command -v pdftotext; } >/dev/null 2>&1 || need+=(poppler-utils)

if [ ${#need[@]} -eq 0 ]; then
  echo "deps: all present (GDAL $(pkg-config --modversion gdal), Cairo $(pkg-config --modversion cairo), OpenBLAS $(pkg-config --modversion openblas), LAPACKE $(pkg-config --modversion lapacke))"
  exit 0
fi

echo "deps: installing ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "deps: missing ${need[*]}; run as root or install them with apt-get (Debian/Ubuntu)" >&2
  exit 1
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "deps: installed ${need[*]}"
