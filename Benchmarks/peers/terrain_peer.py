#!/usr/bin/env python3
"""Peer timings for the terrain benchmark (issue F2): richdem (richdem-fork on PyPI) on one DEM.

Usage: terrain_peer.py DEM.tif REPEATS
Prints JSON: {"tool": ..., "version": ..., "stages": {"fill": s, "slope": s, "d8_accumulation": s}, "cells": n}
Each time is the best of REPEATS runs, in seconds, excluding file reading. richdem's D8 accumulation
includes computing the flow directions (and its flat resolution), as our "D8" + "accumulation" do.
"""
import json
import sys
import time

import numpy as np
import rasterio  # pulled in by pysheds; reads the GeoTIFF
import richdem as rd


def best(f, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    path, repeats = sys.argv[1], int(sys.argv[2])
    with rasterio.open(path) as src:
        z = src.read(1).astype(np.float32)
        nodata = src.nodata
    dem = rd.rdarray(z, no_data=nodata if nodata is not None else -9999)
    dem.geotransform = [0, 10, 0, 0, 0, -10]
    stages = {
        "fill": best(lambda: rd.FillDepressions(dem, epsilon=False, in_place=False), repeats),
        "slope": best(lambda: rd.TerrainAttribute(dem, attrib="slope_degrees"), repeats),
    }
    filled = rd.FillDepressions(dem, epsilon=False, in_place=False)
    stages["d8_accumulation"] = best(lambda: rd.FlowAccumulation(filled, method="D8"), repeats)
    print(json.dumps({"tool": "richdem", "version": "richdem-fork (PyPI)", "cells": int(z.size), "stages": stages}))


if __name__ == "__main__":
    main()
