#!/usr/bin/env python3
"""Writes Tests/TerrainTests/Fixtures/richdem_fill.json: formula-defined DEMs and their depression
filling by two independent peers, which Tests/TerrainTests/PeerFixtureTests.swift asserts against:

- richdem (richdem-fork 3.0.0 on PyPI, Barnes's own Priority-Flood) for DEMs without nodata;
- scikit-image's morphological reconstruction by erosion (Soille 2004), seeded at the grid border
  and at nodata cells, for the DEM with internal nodata holes. richdem seeds only the grid border
  and floods internal holes as pits (even writing elevations into nodata cells); the harness, as
  its issue asks, lets every valid cell drain to the grid edge *or to nodata*, which is the
  reconstruction's convention (and pysheds').

Where both apply (no nodata) the script checks that the two peers agree exactly.

Rerun: .venv-peers/bin/python Tests/Fixtures/make_terrain_fixtures.py   (see Tests/Fixtures/README.md)
"""
import json
import math
import os

import numpy as np
import richdem as rd
from skimage.morphology import reconstruction

NODATA = -9999.0


def dem(case, rows, cols):
    z = np.zeros((rows, cols), dtype=np.float32)
    for r in range(rows):
        for c in range(cols):
            rough = ((r * 131 + c * 71) * 7919 % 1009) / 1009.0
            if case == "rough":
                v = 100 + 8 * rough + 0.2 * r
            elif case == "valleys":
                v = 100 + 10 * math.sin(r * 0.37) * math.cos(c * 0.23) + 3 * rough + 0.5 * c
            else:  # "holes": valleys with nodata cells
                v = 100 + 10 * math.sin(r * 0.29) * math.cos(c * 0.31) + 4 * rough
            z[r, c] = round(v, 3)
    if case == "holes":
        for r in range(rows):
            for c in range(cols):
                if ((r * 17 + c * 29) % 23) == 0 or (10 <= r <= 13 and 20 <= c <= 24):
                    z[r, c] = NODATA
    return z


def reconstruct(z):
    """Lowest surface >= z draining to the border or to nodata: reconstruction by erosion of a seed
    equal to z on the border and at nodata cells and +inf elsewhere (8-connected)."""
    nodata = z == NODATA
    seed = np.full(z.shape, np.float64(z.max()) + 1.0)
    seed[0, :], seed[-1, :], seed[:, 0], seed[:, -1] = z[0, :], z[-1, :], z[:, 0], z[:, -1]
    seed[nodata] = z[nodata]
    out = reconstruction(seed, z.astype(np.float64), method="erosion", footprint=np.ones((3, 3)))
    return out.astype(np.float32)


def main():
    cases = []
    for case, rows, cols in [("rough", 30, 40), ("valleys", 35, 45), ("holes", 32, 38)]:
        z = dem(case, rows, cols)
        morph = reconstruct(z)
        if case == "holes":
            filled, peer = morph, "scikit-image reconstruction (erosion), seeds: border and nodata"
        else:
            a = rd.rdarray(z.copy(), no_data=NODATA)
            filled = np.asarray(rd.FillDepressions(a, epsilon=False, in_place=False), dtype=np.float32)
            assert np.array_equal(filled, morph), f"{case}: richdem and scikit-image disagree"
            peer = "richdem FillDepressions(epsilon=False); scikit-image reconstruction agrees"
        cases.append({
            "name": case, "peer": peer, "rows": rows, "cols": cols, "nodata": NODATA,
            "dem": [float(v) for v in z.ravel()],
            "filled": [float(v) for v in filled.ravel()],
            "cells_raised": int(np.sum(filled > z)),
        })
    out = os.path.join(os.path.dirname(__file__), "..", "TerrainTests", "Fixtures", "richdem_fill.json")
    with open(out, "w") as f:
        json.dump({"about": "depression filling of formula-defined DEMs by peer tools; see "
                            "Tests/Fixtures/make_terrain_fixtures.py", "cases": cases}, f)
    print(f"wrote {out}: " + ", ".join(f"{c['name']} ({c['cells_raised']} cells raised)" for c in cases))


if __name__ == "__main__":
    main()
