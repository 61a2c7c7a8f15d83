#!/usr/bin/env python3
"""Writes the bad inputs of the bad-input matrix (cases.tsv) into a folder.

    make-inputs.py OUT_DIR DATA_ROOT REPO_ROOT

Every file is small and made from the repository's own study (Experiments/studies/loja.yaml), the
shared Loja data (read, never copied whole) or written out here. Python's standard library and
GDAL's command-line tools (gdal-bin, which `make deps` installs) only.
"""
import json
import os
import struct
import subprocess
import sys

out, data, repo = (os.path.abspath(a) for a in sys.argv[1:4])
os.makedirs(out, exist_ok=True)
loja = os.path.join(data, "loja")
studies = os.path.join(repo, "Experiments", "studies")


def path(name):
    return os.path.join(out, name)


def write(name, text, mode="w"):
    with open(path(name), mode) as f:
        f.write(text)
    return path(name)


def gdal(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# --- The good study, with absolute paths, and the edits that break it -------------------------------
base = open(os.path.join(studies, "loja.yaml")).read()
base = base.replace("hyetograph: storm_", "hyetograph: %s/storm_" % studies)
base = "data_root: %s\n" % data + base
write("good.yaml", base)


def config(name, old, new, text=None):
    """A copy of the good study with `old` replaced by `new` (which must occur)."""
    source = text if text is not None else base
    assert old in source, (name, old)
    write(name, source.replace(old, new, 1))


config("unknown-key.yaml", "seed: 20240805", "seed: 20240805\nsede: 1")
config("duplicate-key.yaml", "seed: 20240805", "seed: 20240805\nseed: 7")
config("yaml-syntax.yaml", "  slope_saga_deg: loja/slope.tif", "  slope_saga_deg: [loja/slope.tif")
config("yaml-tab.yaml", "  plan_curvature: loja/cplan.tif", "\tplan_curvature: loja/cplan.tif")
write("list.yaml", "- dem: loja/dem.tif\n- seed: 1\n")
write("empty.yaml", "")
write("binary.yaml", bytes(range(256)) * 4, "wb")
config("no-dem.yaml", "dem: loja/dem.tif\n", "")
config("dem-missing.yaml", "dem: loja/dem.tif", "dem: loja/no-such-dem.tif")
write("not-a-raster.tif", "this is text, not a GeoTIFF\n")
config("dem-text.yaml", "dem: loja/dem.tif", "dem: %s" % path("not-a-raster.tif"))
config("seed-text.yaml", "seed: 20240805", "seed: twenty")
config("seed-negative.yaml", "seed: 20240805", "seed: -4")
config("layer-missing.yaml", "slope_saga_deg: loja/slope.tif", "slope_saga_deg: loja/no-such-slope.tif")
config("inventory-missing.yaml", "path: loja/landslides.csv", "path: loja/no-such-inventory.csv")
config("points-missing.yaml", "path: loja/points_rsaga_all.csv", "path: loja/no-such-points.csv")
config("area-missing.yaml", "study_area: loja/study_area.geojson", "study_area: loja/no-such-area.geojson")
config("crs-bad.yaml", "  crs: EPSG:32717", "  crs: EPSG:999999")
config("off-grid-bad.yaml", "  off_grid: drop", "  off_grid: sometimes")
config("label-column-missing.yaml", "label_column: lslpts", "label_column: landslide")
config("cohesion-negative.yaml", "mean: 18.5,", "mean: -18.5,")
config("cov-negative.yaml", "{mean: 20.0,   cov: 0.10,", "{mean: 20.0,   cov: -0.10,")
config("distribution-unknown.yaml", "{mean: 0.12,   cov: 0.10, distribution: normal}",
       "{mean: 0.12,   cov: 0.10, distribution: cauchy}")
config("parameter-missing.yaml", "  porosity:           {mean: 0.12,   cov: 0.10, distribution: normal}\n", "")
config("saturation-above-1.yaml", "{mean: 0.67,", "{mean: 1.67,")
config("correlation-not-pd.yaml", "correlations: []",
       "correlations:\n  - {a: cohesion_kPa, b: friction_angle_deg, rho: 0.9}\n"
       "  - {a: cohesion_kPa, b: unit_weight_kN_m3, rho: 0.9}\n"
       "  - {a: friction_angle_deg, b: unit_weight_kN_m3, rho: -0.9}")
config("correlation-above-1.yaml", "correlations: []", "correlations:\n  - {a: cohesion_kPa, b: friction_angle_deg, rho: 1.3}")
config("correlation-unknown.yaml", "correlations: []", "correlations:\n  - {a: cohesion_kPa, b: clay_content, rho: 0.3}")
config("soil-depth-inverted.yaml", "  min_m: 0.1\n  max_m: 3.0", "  min_m: 4.0\n  max_m: 3.0")
config("evaluate-after-storm.yaml", "evaluate_at_h: 9", "evaluate_at_h: 900")
config("evaluate-negative.yaml", "evaluate_at_h: 9", "evaluate_at_h: -2")
config("hyetograph-missing.yaml", "hyetograph: %s/storm_2013-07-21_reconstructed.csv" % studies,
       "hyetograph: %s" % path("no-such-storm.csv"))
for name, rows in [("negative", "1,2.0\n2,-3.0\n3,1.0\n"), ("unordered", "1,2.0\n3,1.0\n2,1.5\n"),
                   ("empty", ""), ("text", "1,heavy\n2,light\n")]:
    write("storm-%s.csv" % name, "elapsed_h,intensity_mm_per_h\n" + rows)
    config("hyetograph-%s.yaml" % name, "hyetograph: %s/storm_2013-07-21_reconstructed.csv" % studies,
           "hyetograph: %s" % path("storm-%s.csv" % name))

# --- Point files --------------------------------------------------------------------------------------
points = open(os.path.join(loja, "points_rsaga_all.csv")).read().splitlines()
header, rows = points[0], points[1:]
write("points-duplicate-column.csv", "\n".join([header + ",x"] + [r + ",1" for r in rows]) + "\n")
write("points-header-only.csv", header + "\n")
write("points-label-2.csv", "\n".join([header] + rows[:5] + [rows[5].rsplit(",", 1)[0] + ",2"] + rows[6:]) + "\n")
write("points-text-coordinate.csv", "\n".join([header, "1,east,9560426.7,0"] + rows[1:]) + "\n")
write("points-no-x.csv", "\n".join(["id,easting,y,lslpts"] + rows) + "\n")
write("points-off-grid.csv", "id,x,y,lslpts\n1,100,200,1\n2,300,400,0\n")
write("points-binary.csv", bytes(range(256)) * 8, "wb")
write("points-ragged.csv", "\n".join([header] + rows[:3] + ["4,714000.0"] + rows[4:]) + "\n")
for name, target in [("inventory-duplicate-column", "points-duplicate-column.csv"),
                     ("inventory-header-only", "points-header-only.csv"),
                     ("inventory-off-grid", "points-off-grid.csv")]:
    config(name + ".yaml", "path: loja/landslides.csv", "path: %s" % path(target))
config("points-label-2.yaml", "path: loja/points_rsaga_all.csv", "path: %s" % path("points-label-2.csv"))

# --- Rasters ------------------------------------------------------------------------------------------
def raw_raster(name, cols, rows, values, geo=True):
    """A Float32 GeoTIFF from raw values (ENVI raw + header through gdal_translate)."""
    stem = path(name + ".raw")
    with open(stem, "wb") as f:
        f.write(struct.pack("<%df" % len(values), *values))
    header = ("ENVI\nsamples = %d\nlines = %d\nbands = 1\nheader offset = 0\nfile type = ENVI Standard\n"
              "data type = 4\ninterleave = bsq\nbyte order = 0\n" % (cols, rows))
    if geo:
        header += "map info = {UTM, 1, 1, 713000, 9560000, 10, 10, 17, South, WGS-84}\n"
    with open(path(name + ".hdr"), "w") as f:
        f.write(header)
    gdal("gdal_translate", "-q", "-of", "GTiff", stem, path(name + ".tif"))
    for ext in (".raw", ".hdr", ".tif.aux.xml"):
        if os.path.exists(path(name + ext)):
            os.remove(path(name + ext))


inf, nan = float("inf"), float("nan")
raw_raster("dem-inf", 4, 3, [1000, 1001, 1002, 1003, 1004, inf, 1006, 1007, 1008, -inf, 1010, 1011])
raw_raster("dem-all-nan", 3, 3, [nan] * 9)
raw_raster("dem-no-transform", 3, 3, [1000.0 + i for i in range(9)], geo=False)
raw_raster("scores-inf", 3, 2, [0.1, 0.2, inf, 0.4, -inf, 0.6])
gdal("gdal_translate", "-q", "-srcwin", "0", "0", "200", "200", os.path.join(loja, "slope.tif"), path("slope-part.tif"))
gdal("gdal_translate", "-q", "-a_ullr", "0", "2000", "2000", "0", path("slope-part.tif"), path("slope-shifted.tif"))
config("layer-misaligned.yaml", "slope_saga_deg: loja/slope.tif", "slope_saga_deg: %s" % path("slope-part.tif"))
config("dem-inf.yaml", "dem: loja/dem.tif", "dem: %s" % path("dem-inf.tif"))
config("dem-all-nodata.yaml", "dem: loja/dem.tif", "dem: %s" % path("dem-all-nan.tif"))
config("dem-no-transform.yaml", "dem: loja/dem.tif", "dem: %s" % path("dem-no-transform.tif"))
write("dem-rotated.vrt", """<VRTDataset rasterXSize="383" rasterYSize="415">
  <GeoTransform>713000, 10, 2, 9560000, 2, -10</GeoTransform>
  <VRTRasterBand dataType="Float32" band="1">
    <SimpleSource><SourceFilename relativeToVRT="0">%s</SourceFilename><SourceBand>1</SourceBand></SimpleSource>
  </VRTRasterBand>
</VRTDataset>
""" % os.path.join(loja, "dem.tif"))
config("dem-rotated.yaml", "dem: loja/dem.tif", "dem: %s" % path("dem-rotated.vrt"))
# 100,000² cells of nodata in a few MB (sparse tiles): too large for any machine's memory to process
# (80 GB as doubles).
gdal("gdal_create", "-of", "GTiff", "-outsize", "100000", "100000", "-ot", "Float32", "-a_nodata", "-9999",
     "-a_srs", "EPSG:32717", "-a_ullr", "700000", "9600000", "1100000", "9200000",
     "-co", "TILED=YES", "-co", "SPARSE_OK=TRUE", "-co", "COMPRESS=DEFLATE", path("dem-huge.tif"))
config("dem-huge.yaml", "dem: loja/dem.tif", "dem: %s" % path("dem-huge.tif"))
write("numbers-word.txt", "1.5\n2.5\nthree\n4\n")
write("numbers-two.txt", "1\n2\n")

# --- Models (landslide train --save-model's format) ------------------------------------------------------
model = {"batch_norm": [], "kind": "glm", "patch": 17, "settings": {},
         "factors": ["slope_saga_deg", "plan_curvature", "profile_curvature", "elevation", "log10_catchment_area_m2"],
         "means": [35.9, -0.0013, -0.0002, 2349.4, 2.89], "sds": [10.7, 0.124, 0.0172, 300.3, 0.528],
         "parameters": [[-2.8, 1.12, -2.22, -0.37, -0.075, -1.2]]}


def model_file(name, **edits):
    m = json.loads(json.dumps(model))
    m.update(edits)
    write(name, json.dumps(m))


model_file("model-good.json")
model_file("model-short-means.json", means=[35.9, -0.0013])
model_file("model-zero-sd.json", sds=[10.7, 0.0, 0.0172, 300.3, 0.528])
model_file("model-unknown-kind.json", kind="random-forest")
model_file("model-unknown-factor.json", factors=["slope_saga_deg", "plan_curvature", "profile_curvature", "elevation",
                                                 "rainfall_mm"])
model_file("model-short-parameters.json", parameters=[[-2.8, 1.12]])
write("model-truncated.json", json.dumps(model)[:120])

# --- FORM cases (the reference file's format) ------------------------------------------------------------
reference = json.load(open(os.path.join(os.path.dirname(data), "reference", "reference_values.json")))
cases = reference["infinite_slope_form"]["cases"]
write("form-not-json.json", "{ cases: [ slope 35 ] }\n")
write("form-empty.json", json.dumps({"infinite_slope_form": {"cases": []}}))
c = json.loads(json.dumps(cases[0])); del c["slope_deg"]
write("form-no-slope.json", json.dumps({"infinite_slope_form": {"cases": [c]}}))
c = json.loads(json.dumps(cases[0])); c["slope_deg"] = 95
write("form-slope-95.json", json.dumps({"infinite_slope_form": {"cases": [c]}}))
c = json.loads(json.dumps(cases[0])); c["variables"]["cohesion_kPa"]["cov"] = -0.2
write("form-cov-negative.json", json.dumps({"infinite_slope_form": {"cases": [c]}}))
c = json.loads(json.dumps(cases[0])); c["profile"] = "z"
write("form-profile-z.json", json.dumps({"infinite_slope_form": {"cases": [c]}}))
